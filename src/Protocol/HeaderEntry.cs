namespace ActorHttp.Protocol;

/// <summary>
/// Where one field line sits in a head's bytes: offsets only, so parsing allocates nothing per field.
/// </summary>
internal readonly record struct HeaderEntry(int NameStart, int NameLength, int ValueStart, int ValueLength, KnownHeader Known);
