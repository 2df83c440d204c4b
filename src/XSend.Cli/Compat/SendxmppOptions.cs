namespace XSend.Cli.Compat;

/// <summary>What a sendxmpp 1.24 command line asked for, before the rc file and xsend's settings are applied.</summary>
internal sealed record SendxmppOptions
{
    /// <summary>-f/--file: the rc file (default <c>~/.sendxmpprc</c>).</summary>
    public string? RcFile { get; init; }

    /// <summary>-u/--username: a user name, or a whole <c>user@domain</c>.</summary>
    public string? Username { get; init; }

    /// <summary>-p/--password.</summary>
    public string? Password { get; init; }

    /// <summary>-j/--jserver: the host, without the port.</summary>
    public string? Jserver { get; init; }

    /// <summary>The port of <c>-j host:port</c>, or 0.</summary>
    public int Port { get; init; }

    /// <summary>-o/--component: the account's domain when it differs from the server; also appended to recipients without '@'.</summary>
    public string? Component { get; init; }

    /// <summary>-r/--resource: the resource (in rooms, the nickname).</summary>
    public string? Resource { get; init; }

    /// <summary>-t/--tls: STARTTLS.</summary>
    public bool Tls { get; init; }

    /// <summary>-e/--ssl: TLS from the first byte.</summary>
    public bool Ssl { get; init; }

    /// <summary>-n/--no-tls-verify.</summary>
    public bool NoTlsVerify { get; init; }

    /// <summary>-a/--tls-ca-path: a CA file (or directory).</summary>
    public string? TlsCaPath { get; init; }

    /// <summary>The message type after -l/--headline and --message-type: chat (default), normal or headline.</summary>
    public string MessageType { get; init; } = "chat";

    /// <summary>-c/--chatroom: the recipients are rooms.</summary>
    public bool Chatroom { get; init; }

    /// <summary>-s/--subject.</summary>
    public string? Subject { get; init; }

    /// <summary>-m/--message: a file holding the message.</summary>
    public string? MessageFile { get; init; }

    /// <summary>-i/--interactive: each line of stdin is a message.</summary>
    public bool Interactive { get; init; }

    /// <summary>-v/--verbose.</summary>
    public bool Verbose { get; init; }

    /// <summary>-d/--debug (any level).</summary>
    public bool Debug { get; init; }

    /// <summary>-h/--help/--usage.</summary>
    public bool Help { get; init; }

    /// <summary>-V/--version (xsend's own; sendxmpp 1.24 has none).</summary>
    public bool Version { get; init; }

    /// <summary>The recipients (or rooms with -c), in order.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
}
