using System.Text;
using System.Text.RegularExpressions;

namespace XSend.Fuzz.Targets;

/// <summary>
/// An in-memory connection whose server side is a transcript: the bytes the server sends, in
/// turns separated by a blank line (<c>\n\n</c>). A read returns what is left of the current
/// turn; once it is used up, the next read releases the next turn (the client has usually written
/// its request by then), and the end of the transcript reads as the server closing the
/// connection. A turn never blocks, so a run costs CPU only.
/// </summary>
/// <remarks>
/// Turns matter at stream restarts: the client's XML reader must not buffer the server's new
/// stream header before it has sent its own. In a turn, <c>{id}</c> stands for the id of the
/// last stanza the client wrote (bind, ping, disco, message), so iq results match their request,
/// and <c>{message-id}</c> for the id of its last message (for receipts and bounces).
/// What the client writes is kept in <see cref="Written"/>.
/// </remarks>
internal sealed partial class ScriptedTransport(byte[] transcript) : Stream
{
    private static readonly byte[] TurnSeparator = "\n\n"u8.ToArray();
    private static readonly byte[] IdPlaceholder = "{id}"u8.ToArray();
    private static readonly byte[] MessageIdPlaceholder = "{message-id}"u8.ToArray();

    private readonly StringBuilder _written = new();
    private int _next;
    private byte[] _turn = [];
    private int _turnOffset;
    private string _lastId = "none";
    private string _lastMessageId = "none";

    /// <summary>Everything the client wrote.</summary>
    public string Written => _written.ToString();

    /// <summary>How many server turns were released.</summary>
    public int TurnsReleased { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_turnOffset == _turn.Length && !ReleaseTurn())
            return 0;
        int n = Math.Min(buffer.Length, _turn.Length - _turnOffset);
        _turn.AsSpan(_turnOffset, n).CopyTo(buffer);
        _turnOffset += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        string text = Encoding.UTF8.GetString(buffer);
        _written.Append(text);
        foreach (Match stanza in StanzaId().Matches(text))
        {
            _lastId = stanza.Groups[2].Value;
            if (stanza.Groups[1].Value == "message")
                _lastMessageId = _lastId;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private bool ReleaseTurn()
    {
        while (_next < transcript.Length)
        {
            ReadOnlySpan<byte> rest = transcript.AsSpan(_next);
            int end = rest.IndexOf(TurnSeparator);
            ReadOnlySpan<byte> turn = end < 0 ? rest : rest[..end];
            _next += end < 0 ? rest.Length : end + TurnSeparator.Length;
            if (turn.IsEmpty)
                continue;
            _turn = Substitute(Substitute(turn, IdPlaceholder, _lastId), MessageIdPlaceholder, _lastMessageId);
            _turnOffset = 0;
            TurnsReleased++;
            return true;
        }
        return false;
    }

    private static byte[] Substitute(ReadOnlySpan<byte> turn, byte[] placeholder, string value)
    {
        if (turn.IndexOf(placeholder) < 0)
            return turn.ToArray();
        byte[] id = Encoding.UTF8.GetBytes(value);
        var result = new List<byte>(turn.Length + 32);
        while (true)
        {
            int at = turn.IndexOf(placeholder);
            if (at < 0)
                break;
            result.AddRange(turn[..at]);
            result.AddRange(id);
            turn = turn[(at + placeholder.Length)..];
        }
        result.AddRange(turn);
        return [.. result];
    }

    [GeneratedRegex("<(iq|message)\\b[^>]*?\\bid='([^']*)'")]
    private static partial Regex StanzaId();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
