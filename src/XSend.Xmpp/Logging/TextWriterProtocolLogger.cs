namespace XSend.Xmpp.Logging;

/// <summary>Writes the protocol log as <c>C: …</c> and <c>S: …</c> lines to a <see cref="TextWriter"/>.</summary>
public sealed class TextWriterProtocolLogger(TextWriter writer) : ProtocolLogger
{
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public override void LogClient(string xml) => Write("C: ", xml);

    /// <inheritdoc/>
    public override void LogServer(string xml) => Write("S: ", xml);

    private void Write(string prefix, string xml)
    {
        lock (_gate)
        {
            writer.Write(prefix);
            writer.WriteLine(xml);
            writer.Flush();
        }
    }
}
