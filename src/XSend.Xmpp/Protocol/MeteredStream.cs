namespace XSend.Xmpp.Protocol;

/// <summary>
/// Wraps the transport for the XML reader. <see cref="System.Xml.XmlReader"/> cannot take a cancellation
/// token, so reads use <see cref="ReadToken"/>, which the client sets per operation; the
/// stream also counts the bytes of the current top-level element and notes end of stream.
/// </summary>
internal sealed class MeteredStream(Stream inner, long maxElementBytes) : Stream
{
    private long _elementBytes;

    /// <summary>The token every read observes (the reader itself passes none).</summary>
    public CancellationToken ReadToken { get; set; }

    /// <summary>Whether the peer has closed its side.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Starts counting a new top-level element.</summary>
    public void StartElement() => _elementBytes = 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        CancellationToken token = cancellationToken.CanBeCanceled ? cancellationToken : ReadToken;
        int read = await inner.ReadAsync(buffer, token).ConfigureAwait(false);
        Account(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        Account(read);
        return read;
    }

    private void Account(int read)
    {
        if (read == 0)
        {
            EndOfStream = true;
            return;
        }
        _elementBytes += read;
        if (_elementBytes > maxElementBytes)
            throw new StanzaTooLargeException(maxElementBytes);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
