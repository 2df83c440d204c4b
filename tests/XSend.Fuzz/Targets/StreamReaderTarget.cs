using System.Xml;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is what a server sends: the stream header, then top-level elements, read by
/// <see cref="XmppStreamReader"/> with the client's 1 MiB element limit. The reader sees it twice:
/// in one read, and one byte per read (as a slow network delivers it), since the XML reader's
/// decoding and buffering take other paths when input arrives in pieces.
/// </summary>
/// <remarks>
/// The reader's own failures (<see cref="XmlException"/>, <see cref="EndOfStreamException"/>, the
/// <see cref="IOException"/> of an oversized element) are exactly what the client's read loop turns
/// into <see cref="XmppProtocolException"/> and <see cref="XmppConnectionException"/>
/// (XmppClient.IO.cs); the target maps them the same way, so anything else the reader lets escape
/// is a crash.
/// </remarks>
internal static class StreamReaderTarget
{
    private const int MaxElements = 10_000;

    public static string Run(byte[] input) =>
        $"whole: {Read(new MemoryStream(input, writable: false))}; byte by byte: {Read(new OneByteStream(input))}";

    private static string Read(Stream source)
    {
        var metered = new MeteredStream(source, 1024 * 1024);
        var reader = new XmppStreamReader(metered);
        try
        {
            StreamHeader header = reader.ReadHeaderAsync().GetAwaiter().GetResult();
            int elements = 0;
            while (elements < MaxElements && reader.ReadElementAsync().GetAwaiter().GetResult() is not null)
                elements++;
            return $"header id '{header.Id}', {elements} element(s)";
        }
        catch (Exception ex) when (ex is XmlException or IOException)
        {
            // EndOfStreamException and StanzaTooLargeException are IOExceptions.
            throw new XmppProtocolException($"the reader rejected the input: {ex.Message}", ex);
        }
    }

    /// <summary>Returns at most one byte per read.</summary>
    private sealed class OneByteStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1), cancellationToken);
    }
}
