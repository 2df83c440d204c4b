namespace XSend.Xmpp.Transport;

/// <summary>
/// Passes a connection through and remembers the first byte the server sent, which tells a
/// STARTTLS port ('&lt;' of its XML) from a direct TLS port (a TLS record) when a handshake fails.
/// </summary>
internal sealed class FirstByteStream(Stream inner) : PassThroughStream(inner)
{
    /// <summary>The first byte received, or <see langword="null"/> before any.</summary>
    public byte? FirstByte { get; private set; }

    protected override bool OwnsInner => true;

    protected override void OnRead(ReadOnlySpan<byte> received)
    {
        if (FirstByte is null && received.Length > 0)
            FirstByte = received[0];
    }
}
