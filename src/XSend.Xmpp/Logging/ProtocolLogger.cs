using System.Xml.Linq;

namespace XSend.Xmpp.Logging;

/// <summary>
/// Receives the XML the client writes (<c>C:</c>) and reads (<c>S:</c>). Opt-in: the client logs
/// nothing unless one is configured. Secrets (SASL and SASL2 payloads, FAST tokens, passwords such
/// as a room's) are redacted here, for every line in either direction, unless
/// <see cref="IncludeSecrets"/> is set; subclasses only ever see redacted text.
/// </summary>
public abstract class ProtocolLogger
{
    /// <summary>
    /// Whether to log secrets as they are. Off by default; turn it on only to debug a
    /// mechanism against a test account.
    /// </summary>
    public bool IncludeSecrets { get; init; }

    /// <summary>Logs XML the client sent.</summary>
    public void LogClient(string xml) => WriteClient(IncludeSecrets ? xml : ProtocolRedactor.Redact(xml));

    /// <summary>Logs XML the server sent.</summary>
    public void LogServer(string xml) => WriteServer(IncludeSecrets ? xml : ProtocolRedactor.Redact(xml));

    /// <summary>Logs an element the server sent.</summary>
    internal void LogServer(XElement element) =>
        WriteServer(IncludeSecrets ? element.ToString(SaveOptions.DisableFormatting) : ProtocolRedactor.Render(element));

    /// <summary>Writes a line of client XML, already redacted.</summary>
    protected abstract void WriteClient(string xml);

    /// <summary>Writes a line of server XML, already redacted.</summary>
    protected abstract void WriteServer(string xml);
}
