namespace ActorHttp.Protocol;

/// <summary>One decoded <c>name=value</c> pair of a query string, in the order it was received.</summary>
/// <param name="Name">The decoded name ('+' read as a space).</param>
/// <param name="Value">The decoded value; empty when the pair had no '='.</param>
public readonly record struct QueryParameter(string Name, string Value);
