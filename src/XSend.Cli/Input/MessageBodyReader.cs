using System.Text;
using XSend.Cli.Failures;
using XSend.Xmpp.Protocol;

namespace XSend.Cli.Input;

/// <summary>Gets the message body from the text arguments or from standard input.</summary>
internal static class MessageBodyReader
{
    /// <summary>Bodies above this many UTF-8 bytes are refused; servers reject far smaller stanzas anyway.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns the body: the words joined with spaces, or stdin when there are none and it is not a terminal.</summary>
    public static async Task<string> ReadAsync(string[] words, Stream stdin, bool stdinIsTerminal, CancellationToken cancellationToken)
    {
        string body;
        if (words.Length > 0)
        {
            body = string.Join(' ', words); // as xsend.py did
        }
        else if (stdinIsTerminal)
        {
            throw new CliException(ExitCodes.Usage, "no message text: give it after the recipient, or pipe it on stdin");
        }
        else
        {
            body = await ReadStdinAsync(stdin, cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(body))
            throw new CliException(ExitCodes.Usage, "the message is empty");
        int bytes = Encoding.UTF8.GetByteCount(body);
        if (bytes > MaxBodyBytes)
            throw new CliException(ExitCodes.DataError, $"the message is {bytes} bytes; the limit is {MaxBodyBytes}");
        if (string.IsNullOrWhiteSpace(XmlText.RemoveForbiddenCharacters(body, out _)))
            throw new CliException(ExitCodes.DataError, "the message holds only characters XML cannot carry");
        return body;
    }

    private static async Task<string> ReadStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        while (true)
        {
            // Console streams ignore cancellation; WaitAsync abandons a read that never returns.
            int read = await stdin.ReadAsync(chunk, cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes + 4)
                throw new CliException(ExitCodes.DataError, $"the message on stdin is larger than the {MaxBodyBytes}-byte limit");
        }

        ReadOnlySpan<byte> bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            string where = ex.Index >= 0 ? $" at byte {ex.Index}" : "";
            throw new CliException(ExitCodes.DataError, $"the message on stdin is not valid UTF-8{where}");
        }
        // `echo text | xsend` ends with a newline that is not part of the alert.
        return text.TrimEnd('\r', '\n');
    }
}
