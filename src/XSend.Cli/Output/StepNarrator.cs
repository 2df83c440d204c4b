using System.Diagnostics;
using XSend.Xmpp;

namespace XSend.Cli.Output;

/// <summary>Writes each step, with the time since start, to stderr for --verbose.</summary>
internal sealed class StepNarrator(TextWriter writer, Stopwatch clock) : IProgress<XmppProgress>
{
    private readonly Lock _gate = new();

    public void Report(XmppProgress value) => Write(value.Message);

    public void Write(string message)
    {
        lock (_gate)
        {
            // Steps quote the server (addresses, names, errors): one line each, made safe.
            writer.WriteLine($"xsend: [{clock.Elapsed.TotalMilliseconds,7:0.0} ms] {Xmpp.Protocol.PrintableText.Sanitize(message)}");
            writer.Flush();
        }
    }
}
