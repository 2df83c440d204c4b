namespace XSend.Xmpp;

/// <summary>The <c>type</c> of a message stanza (RFC 6121 §5.2.2).</summary>
public enum MessageType
{
    /// <summary>A one-to-one chat message; what most clients show prominently.</summary>
    Chat,

    /// <summary>A standalone message outside a chat session.</summary>
    Normal,

    /// <summary>An alert or notice that expects no reply; some clients hide these.</summary>
    Headline,

    /// <summary>A message to a multi-user chat room (XEP-0045); the client must have joined the room.</summary>
    Groupchat,
}

/// <summary>Wire names for <see cref="MessageType"/>.</summary>
public static class MessageTypeExtensions
{
    /// <summary>The value of the <c>type</c> attribute.</summary>
    public static string ToWireName(this MessageType type) => type switch
    {
        MessageType.Chat => "chat",
        MessageType.Normal => "normal",
        MessageType.Headline => "headline",
        MessageType.Groupchat => "groupchat",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
