using System.Xml;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Fuzz.Targets;

/// <summary>
/// The input is what a server sends: the stream header, then top-level elements, read by
/// <see cref="XmppStreamReader"/> with the client's 1 MiB element limit.
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

    public static string Run(byte[] input)
    {
        var metered = new MeteredStream(new MemoryStream(input, writable: false), 1024 * 1024);
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
}
