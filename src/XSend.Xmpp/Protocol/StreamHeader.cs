namespace XSend.Xmpp.Protocol;

/// <summary>The attributes of the server's opening <c>&lt;stream:stream&gt;</c> (RFC 6120 §4.7).</summary>
internal sealed record StreamHeader(string? Id, string? From, string? Version);
