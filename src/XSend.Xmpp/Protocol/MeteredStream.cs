namespace XSend.Xmpp.Protocol;

/// <summary>
/// Wraps the transport for the XML reader. <see cref="System.Xml.XmlReader"/> cannot take a cancellation
/// token, so reads use <see cref="ReadToken"/>, which the client sets per operation; the
/// stream also counts the bytes of the current top-level element and notes end of stream.
/// </summary>
internal sealed class MeteredStream(Stream inner, long maxElementBytes) : Transport.PassThroughStream(inner)
{
    private long _elementBytes;

    /// <summary>The token every read observes (the reader itself passes none).</summary>
    public CancellationToken ReadToken { get; set; }

    /// <summary>Whether the peer has closed its side.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Starts counting a new top-level element.</summary>
    public void StartElement() => _elementBytes = 0;

    protected override CancellationToken TokenFor(CancellationToken callerToken) =>
        callerToken.CanBeCanceled ? callerToken : ReadToken;

    protected override void OnRead(ReadOnlySpan<byte> received)
    {
        if (received.Length == 0)
        {
            EndOfStream = true;
            return;
        }
        _elementBytes += received.Length;
        if (_elementBytes > maxElementBytes)
            throw new StanzaTooLargeException(maxElementBytes);
    }
}
