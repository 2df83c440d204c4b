using System.Text;
using XSend.Cli.Commands;
using XSend.Cli.Failures;
using XSend.Xmpp.Protocol;

namespace XSend.Cli.Input;

/// <summary>Gets the message bodies: from -m, --file, the text words or stdin; one, or one per line.</summary>
internal static class MessageBodyReader
{
    /// <summary>Bodies above this many UTF-8 bytes are refused; servers reject far smaller stanzas anyway.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The most input read at all (stdin or --file), which --line-mode may split into many messages.</summary>
    public const int MaxInputBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns the validated bodies, in order.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(SendRequest request, Stream stdin, bool stdinIsTerminal, CancellationToken cancellationToken)
    {
        int limit = request.LineMode ? MaxInputBytes : MaxBodyBytes;
        string text;
        if (request.Message is not null)
        {
            if (request.LineMode)
                throw new CliException(ExitCodes.Usage, "--line-mode reads stdin or --file, not --message");
            text = request.Message;
        }
        else if (request.File is not null)
        {
            text = await ReadFileAsync(request.File, limit, cancellationToken).ConfigureAwait(false);
        }
        else if (request.Words.Length > 0 && !request.LineMode)
        {
            text = string.Join(' ', request.Words); // as xsend.py did
        }
        else if (stdinIsTerminal)
        {
            throw new CliException(ExitCodes.Usage, "no message text: give it after the recipient, or pipe it on stdin");
        }
        else
        {
            text = Decode(await ReadStdinAsync(stdin, limit, cancellationToken).ConfigureAwait(false), "on stdin");
        }

        if (!request.LineMode)
            return [Validate(text.TrimEnd('\r', '\n'))];

        List<string> lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
            throw new CliException(ExitCodes.Usage, "the message is empty");
        return lines.Select(Validate).ToList();
    }

    private static string Validate(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            throw new CliException(ExitCodes.Usage, "the message is empty");
        int bytes = Encoding.UTF8.GetByteCount(body);
        if (bytes > MaxBodyBytes)
            throw new CliException(ExitCodes.DataError, $"the message is {bytes} bytes; the limit is {MaxBodyBytes}");
        if (string.IsNullOrWhiteSpace(XmlText.RemoveForbiddenCharacters(body, out _)))
            throw new CliException(ExitCodes.DataError, "the message holds only characters XML cannot carry");
        return body;
    }

    private static async Task<string> ReadFileAsync(string path, int limit, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await LocalFile.ReadAsync(path, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (LocalFileTooLargeException)
        {
            throw new CliException(ExitCodes.DataError, $"the message file {path} is larger than the {limit}-byte limit");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the message file {path}: {ex.Message}");
        }
        return Decode(bytes, $"in {path}");
    }

    private static async Task<byte[]> ReadStdinAsync(Stream stdin, int limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        while (true)
        {
            // Console streams ignore cancellation; WaitAsync abandons a read that never returns.
            int read = await stdin.ReadAsync(chunk, cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit + 4)
                throw new CliException(ExitCodes.DataError, $"the message on stdin is larger than the {limit}-byte limit");
        }
        return buffer.ToArray();
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string where)
    {
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            string at = ex.Index >= 0 ? $" at byte {ex.Index}" : "";
            throw new CliException(ExitCodes.DataError, $"the message {where} is not valid UTF-8{at}");
        }
    }
}
