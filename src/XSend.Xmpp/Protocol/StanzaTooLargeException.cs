namespace XSend.Xmpp.Protocol;

/// <summary>Raised inside the reader when one top-level element exceeds the size limit.</summary>
internal sealed class StanzaTooLargeException(long limit) : IOException($"the server sent an element larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}
