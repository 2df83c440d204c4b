namespace XSend.Xmpp.Transport;

/// <summary>
/// A stream that passes every read and write through to another and lets a subclass watch what
/// is read (counting bytes, noting the first one). Not seekable.
/// </summary>
internal abstract class PassThroughStream(Stream inner) : Stream
{
    /// <summary>Called with what each read returned; empty at the end of the stream.</summary>
    protected abstract void OnRead(ReadOnlySpan<byte> received);

    /// <summary>The token a read observes; by default the caller's.</summary>
    protected virtual CancellationToken TokenFor(CancellationToken callerToken) => callerToken;

    /// <summary>Whether disposing this stream disposes the inner one.</summary>
    protected virtual bool OwnsInner => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, TokenFor(cancellationToken)).ConfigureAwait(false);
        OnRead(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        OnRead(buffer.AsSpan(offset, read));
        return read;
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

    protected override void Dispose(bool disposing)
    {
        if (disposing && OwnsInner)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
