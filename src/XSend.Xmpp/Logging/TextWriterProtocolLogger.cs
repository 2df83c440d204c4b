using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Logging;

/// <summary>
/// Writes the protocol log as <c>C: …</c> and <c>S: …</c> lines to a <see cref="TextWriter"/>,
/// one line each: control and bidi characters in the XML (a server's text) are shown escaped.
/// </summary>
public sealed class TextWriterProtocolLogger(TextWriter writer) : ProtocolLogger
{
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    protected override void WriteClient(string xml) => Write("C: ", xml);

    /// <inheritdoc/>
    protected override void WriteServer(string xml) => Write("S: ", xml);

    private void Write(string prefix, string xml)
    {
        lock (_gate)
        {
            writer.Write(prefix);
            writer.WriteLine(PrintableText.Sanitize(xml));
            writer.Flush();
        }
    }
}
