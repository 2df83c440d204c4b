namespace XSend.Xmpp.Logging;

/// <summary>
/// Receives the XML the client writes (<c>C:</c>) and reads (<c>S:</c>). Opt-in: the client logs
/// nothing unless one is configured. SASL payloads (which carry the password, or a proof
/// derived from it) are redacted unless <see cref="IncludeSecrets"/> is set.
/// </summary>
public abstract class ProtocolLogger
{
    /// <summary>
    /// Whether to log SASL payloads as they are. Off by default; turn it on only to debug a
    /// mechanism against a test account.
    /// </summary>
    public bool IncludeSecrets { get; init; }

    /// <summary>Logs XML the client sent.</summary>
    public abstract void LogClient(string xml);

    /// <summary>Logs XML the server sent.</summary>
    public abstract void LogServer(string xml);
}
