using System.Text;

namespace XSend.Cli.Platform;

/// <summary>
/// Writes through to another writer and drops output that cannot be written (a closed or
/// broken stdout or stderr), so reporting a failure never replaces its exit code with a crash.
/// </summary>
internal sealed class BestEffortWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // the base setter's nullability
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => Try(() => inner.Write(value));

    public override void Write(string? value) => Try(() => inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));

    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));

    public override void WriteLine() => Try(inner.WriteLine);

    public override void Flush() => Try(inner.Flush);

    private static void Try(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nobody is listening; the exit code still tells.
        }
    }
}
