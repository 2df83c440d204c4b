using XSend.Cli.Commands;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Xmpp;

namespace XSend.Cli.Compat;

/// <summary>
/// xsend behind sendxmpp 1.24's interface: <c>sendxmpp [options] recipient...</c> (xsend invoked
/// through a symlink named <c>sendxmpp</c>) or <c>xsend sendxmpp-compat [options] recipient...</c>.
/// It translates the command line and the rc file into a <see cref="SendRequest"/> and runs
/// xsend's own send: verified TLS, exit codes, acks and the outbox stay xsend's.
/// </summary>
internal static class SendxmppCompat
{
    /// <summary>The subcommand that selects this interface: <c>xsend sendxmpp-compat …</c>.</summary>
    public const string Subcommand = "sendxmpp-compat";

    /// <summary>The program name that selects it (argv[0]'s base name, as through <c>ln -s xsend sendxmpp</c>).</summary>
    public const string ProgramName = "sendxmpp";

    /// <summary>sendxmpp's default resource, and so its nickname in rooms.</summary>
    public const string DefaultResource = "sendxmpp";

    /// <summary>Runs a sendxmpp command line; returns xsend's exit code.</summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        bool verbose = args.Any(a => a is "-v" or "--verbose");
        // The one catch-all, as for xsend's own commands: SendAction throws what it cannot deliver.
        return FailureReporter.RunAsync(stderr, verbose, () =>
        {
            SendxmppOptions options = SendxmppCommandLine.Parse(args);
            if (options.Help || args.Count == 0)
            {
                stderr.Write(Usage);
                return Task.FromResult(args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok);
            }
            if (options.Version)
            {
                stdout.WriteLine($"{PrintVersionAction.Version} (xsend, sendxmpp 1.24 compatible)");
                return Task.FromResult(ExitCodes.Ok);
            }
            SendRequest request = ToSendRequest(options, environment, stderr, cancellationToken);
            return SendAction.RunAsync(request, stdin, stdout, stderr, environment, cancellationToken);
        });
    }

    /// <summary>
    /// Applies the rc file (read unless both -u and -p are given, as sendxmpp does) and maps every
    /// option onto xsend's send; prints the notes about what xsend does differently.
    /// </summary>
    public static SendRequest ToSendRequest(SendxmppOptions options, CliEnvironment environment, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        if (options.Recipients.Count == 0)
            throw new CliException(ExitCodes.Usage, "no recipient: sendxmpp [options] <recipient1> [<recipient2> ...] (see 'sendxmpp --help')");
        // sendxmpp would wait for typing; xsend never reads a message from a terminal (cron has none).
        if (options.MessageFile is null && environment.StdinIsTerminal)
            throw new CliException(ExitCodes.Usage, "no message: pipe it on stdin, or give -m FILE (see 'sendxmpp --help')");

        SendxmppRc? rc = null;
        string? rcPath = options.RcFile ?? (environment.Variables.GetValueOrDefault("HOME") is { Length: > 0 } home ? Path.Combine(home, ".sendxmpprc") : null);
        if (!(options.Username is not null && options.Password is not null) && rcPath is not null
            && (options.RcFile is not null || File.Exists(rcPath)))
        {
            // Local reads end at a deadline too: the rc file may be a FIFO.
            using var read = new CancellationTokenSource(RunContext.DefaultTimeout, environment.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(read.Token, cancellationToken);
            rc = SendxmppRc.Load(rcPath, linked.Token);
        }

        var overrides = new Dictionary<string, (string Value, string Option)>(StringComparer.OrdinalIgnoreCase);
        string? username = options.Username ?? rc?.Username;
        string? host = options.Jserver ?? rc?.Jserver;
        int port = options.Port != 0 ? options.Port : rc?.Port ?? 0;
        string? component = options.Component ?? rc?.Component;
        string? domain = null;
        if (username is not null)
        {
            string source = options.Username is not null ? "-u" : rcPath!;
            // A user name alone takes its domain from the component, else from the server (as Net::XMPP does).
            domain = username.Contains('@', StringComparison.Ordinal) ? username[(username.IndexOf('@', StringComparison.Ordinal) + 1)..] : component ?? host
                ?? throw new CliException(ExitCodes.Config, $"no server for user '{username}': give -j host or 'jserver:' in the rc file");
            overrides[ConfigKeys.Jid] = (username.Contains('@', StringComparison.Ordinal) ? username : $"{username}@{domain}", source);
        }
        if ((options.Password ?? rc?.Password) is { } password)
            overrides[ConfigKeys.Password] = (password, options.Password is not null ? "-p" : rcPath!);

        if (options.Ssl)
        {
            // XEP-0368 direct TLS needs the endpoint: sendxmpp's own default is the host on 5223.
            string direct = host ?? domain ?? throw new CliException(ExitCodes.Config, "-e needs a server: give -j host[:port] or -u user@domain");
            overrides[ConfigKeys.Server] = ($"{direct}:{(port != 0 ? port : ServerEndpoint.DefaultDirectTlsPort)}", "-e");
            overrides[ConfigKeys.DirectTls] = ("true", "-e");
        }
        else if (host is not null && (port != 0 || !string.Equals(host, domain, StringComparison.OrdinalIgnoreCase)))
        {
            // The same host as the domain on the default port is left to SRV lookup (sendxmpp dialled 5222 directly).
            overrides[ConfigKeys.Server] = (port != 0 ? $"{host}:{port}" : host, options.Jserver is not null ? "-j" : rcPath!);
        }

        if (options.TlsCaPath is { } caPath)
        {
            if (File.Exists(caPath))
            {
                overrides[ConfigKeys.CaFile] = (Path.GetFullPath(caPath), "-a");
            }
            else if (!Directory.Exists(caPath) || Path.TrimEndingDirectorySeparator(Path.GetFullPath(caPath)) != "/etc/ssl/certs")
            {
                // The system store is trusted already; any other hashed directory is OpenSSL's format, not one xsend reads.
                throw new CliException(ExitCodes.Config, Directory.Exists(caPath)
                    ? $"-a {caPath}: xsend reads CA certificates from one PEM file, not a directory: give the CA's PEM file"
                    : $"-a {caPath}: no such file");
            }
        }
        if (!options.Chatroom && options.Resource is not null)
            overrides[ConfigKeys.ResourcePrefix] = (options.Resource, "-r");

        if (options.Password is not null)
        {
            stderr.WriteLine("xsend: warning: -p is visible to other users in ps and shell history; "
                + $"prefer the rc file ({rcPath ?? "~/.sendxmpprc"}, mode 600)");
        }
        if (!options.Tls && !options.Ssl && rc?.Tls != true && !options.NoTlsVerify)
        {
            // sendxmpp without -t/-e logs in over plain TCP; xsend never does. Cron mails this until -t is added.
            stderr.WriteLine("xsend: note: sendxmpp without -t or -e logged in unencrypted; xsend always uses TLS and verifies "
                + "the server's certificate (add -t to silence this note; -a FILE trusts a private CA, -n skips verification)");
        }

        string Qualify(string recipient) =>
            component is not null && !recipient.Contains('@', StringComparison.Ordinal) ? $"{recipient}@{component}" : recipient;
        string[] targets = options.Recipients.Select(Qualify).ToArray();
        var connection = new ConnectionRequest(null, overrides, PasswordOnCommandLine: false, Timeout: null,
            options.Verbose, options.Debug, AllowPlaintext: false)
        {
            Insecure = options.NoTlsVerify,
        };
        MessageType type = options.MessageType switch
        {
            "normal" => MessageType.Normal,
            "headline" => MessageType.Headline,
            _ => MessageType.Chat,
        };
        return new SendRequest(
            Recipients: options.Chatroom ? [] : targets,
            Rooms: options.Chatroom ? targets : [],
            Nick: options.Chatroom ? options.Resource ?? DefaultResource : null,
            Words: [],
            Message: null,
            File: options.MessageFile,
            LineMode: options.Interactive,
            Type: type,
            Subject: options.Subject,
            Subscribe: false,
            NoOutbox: false,
            ReceiptTimeout: null,
            Connection: connection);
    }

    /// <summary>The program's name as the kernel got it (argv[0] of /proc/self/cmdline: the symlink's name, not its target).</summary>
    public static string? InvocationName()
    {
        try
        {
            // A raw handle and one read: every xsend run asks, and FileStream's machinery costs start-up time.
            using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle("/proc/self/cmdline");
            Span<byte> head = stackalloc byte[512];
            int read = RandomAccess.Read(handle, head, 0);
            int end = head[..read].IndexOf((byte)0);
            return Path.GetFileName(System.Text.Encoding.UTF8.GetString(head[..(end < 0 ? read : end)]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Path.GetFileName(Environment.GetCommandLineArgs().FirstOrDefault());
        }
    }

    /// <summary>The usage text (sendxmpp prints it on stderr).</summary>
    public const string Usage = """
        usage: sendxmpp [options] <recipient1> [<recipient2> ...]
        xsend's sendxmpp 1.24 compatible interface (see the README's sendxmpp table). Options:
          -f, --file FILE          rc file instead of ~/.sendxmpprc (mode 600)
          -u, --username USER      user name (or user@domain)
          -p, --password PASS      password (visible in ps: prefer the rc file)
          -j, --jserver HOST[:PORT] server to connect to
          -o, --component NAME     account domain; also added to recipients without '@'
          -r, --resource RES       resource prefix; the nickname in rooms (default sendxmpp)
          -t, --tls                STARTTLS (xsend always uses TLS and verifies the certificate)
          -e, --ssl                direct TLS (default port 5223)
          -n, --no-tls-verify      do NOT verify the certificate (insecure, warned about)
          -a, --tls-ca-path FILE   trust the CA certificates in this PEM file
          -l, --headline           send a headline message
          --message-type TYPE      chat (default), normal or headline
          -c, --chatroom           the recipients are chatrooms
          -s, --subject TEXT       subject
          -m, --message FILE       read the message from FILE instead of stdin
          -i, --interactive        each line of stdin is a message (read until end of input)
          -v, --verbose            narrate the steps;  -d, --debug  protocol log, secrets redacted
          -h, --help               this text;  -V, --version  xsend's version
        Exit codes are xsend's (0 accepted by the server, 75 queued in the outbox, ...: xsend --help).

        """;
}
