namespace ActorHttp.Client;

/// <summary>What a redirect policy (<see cref="ClientOptions.CheckRedirect"/>) decides for one redirect, Go's CheckRedirect results as a closed set.</summary>
public enum RedirectDecision
{
    /// <summary>Send the next request (Go: return nil).</summary>
    Follow,
    /// <summary>Stop and return the 3xx response, body unread, to the caller (Go's ErrUseLastResponse).</summary>
    ReturnResponse,
    /// <summary>Stop and fail with <see cref="ClientErrorKind.RedirectRefused"/> (Go: return an error).</summary>
    Refuse,
}
