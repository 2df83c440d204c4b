using System.Globalization;
using XSend.Cli.Failures;

namespace XSend.Cli.Compat;

/// <summary>
/// Parses sendxmpp 1.24's command line the way its Getopt::Long call does: options with one or two
/// dashes anywhere among the recipients (permute), names matched without regard to case and by
/// unique abbreviation, a value attached with '=' or in the next word, and <c>--</c> ending the
/// options. Unlike sendxmpp, which warns about an unknown option and goes on, an unknown option
/// is a usage error (64): it means the caller expects something xsend does not do.
/// </summary>
internal static class SendxmppCommandLine
{
    private enum Kind { Flag, Value, OptionalNumber }

    private sealed record Spec(string[] Names, Kind Kind);

    // sendxmpp's GetOptions table, plus xsend's -V/--version and the man page's spelling --messages-type.
    private static readonly Spec[] Specs =
    [
        new(["subject", "s"], Kind.Value),
        new(["file", "f"], Kind.Value),
        new(["resource", "r"], Kind.Value),
        new(["jserver", "j"], Kind.Value),
        new(["component", "o"], Kind.Value),
        new(["username", "u"], Kind.Value),
        new(["password", "p"], Kind.Value),
        new(["sso"], Kind.Flag),
        new(["message", "m"], Kind.Value),
        new(["headline", "l"], Kind.Flag),
        new(["message-type", "messages-type"], Kind.Value),
        new(["chatroom", "c"], Kind.Flag),
        new(["tls", "t"], Kind.Flag),
        new(["no-tls-verify", "n"], Kind.Flag),
        new(["tls-ca-path", "a"], Kind.Value),
        new(["ssl", "e"], Kind.Flag),
        new(["interactive", "i"], Kind.Flag),
        new(["help", "usage", "h"], Kind.Flag),
        new(["debug", "d"], Kind.OptionalNumber),
        new(["raw", "w"], Kind.Flag),
        new(["verbose", "v"], Kind.Flag),
        new(["version", "V"], Kind.Flag),
    ];

    // RFC 3921 §2.1.1 types sendxmpp accepts; xsend sends the first three.
    private static readonly string[] SupportedTypes = ["chat", "normal", "headline"];
    private static readonly string[] RefusedTypes = ["error", "groupchat"];

    /// <summary>Parses <paramref name="args"/>; a usage error is a <see cref="CliException"/> with exit 64.</summary>
    public static SendxmppOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var recipients = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                recipients.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                recipients.Add(arg); // Getopt::Long permutes: recipients and options mix
                continue;
            }
            string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            int equals = body.IndexOf('=', StringComparison.Ordinal);
            string name = equals >= 0 ? body[..equals] : body;
            string? attached = equals >= 0 ? body[(equals + 1)..] : null;
            Spec spec = Find(name, arg);
            string key = spec.Names[0];
            switch (spec.Kind)
            {
                case Kind.Flag:
                    if (attached is not null)
                        throw Usage($"option '{arg}' does not take a value");
                    flags.Add(key);
                    break;
                case Kind.Value:
                    if (attached is null)
                    {
                        if (i + 1 >= args.Count)
                            throw Usage($"option '{arg}' requires a value");
                        attached = args[++i];
                    }
                    values[key] = attached;
                    break;
                case Kind.OptionalNumber:
                    // -d takes an optional level: only a number after it is the level.
                    if (attached is null && i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                        i++;
                    flags.Add(key);
                    break;
            }
        }
        return Validate(values, flags, recipients);
    }

    private static Spec Find(string name, string arg)
    {
        // Exact first (so -V is not -v), then without case, then a unique abbreviation of a long name.
        Spec? exact = Specs.FirstOrDefault(s => s.Names.Contains(name, StringComparer.Ordinal))
            ?? Specs.FirstOrDefault(s => s.Names.Contains(name, StringComparer.OrdinalIgnoreCase) && name != "V");
        if (exact is not null)
            return exact;
        List<Spec> prefixed = name.Length < 2 ? []
            : Specs.Where(s => s.Names.Any(n => n.Length > 1 && n.StartsWith(name, StringComparison.OrdinalIgnoreCase))).ToList();
        return prefixed.Count switch
        {
            1 => prefixed[0],
            0 => throw Usage($"unknown option '{arg}'"),
            _ => throw Usage($"option '{arg}' is ambiguous ({string.Join(", ", prefixed.Select(s => "--" + s.Names[0]))})"),
        };
    }

    private static SendxmppOptions Validate(Dictionary<string, string> values, HashSet<string> flags, List<string> recipients)
    {
        string? Value(string key) => values.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;

        if (flags.Contains("raw"))
            throw Usage("-w/--raw (raw XML) is not supported: xsend sends only messages it builds and checks itself");
        if (flags.Contains("sso"))
            throw Usage("--sso is not supported: give -u and -p, or an rc file");
        // sendxmpp's own checks, with its wording where it has one.
        if (Value("message") is not null && flags.Contains("interactive"))
            throw Usage("cannot have both -m (--message) and -i (--interactive)");
        if (flags.Contains("ssl") && flags.Contains("tls"))
            throw Usage("connect securely either using -e (--ssl) or -t (--tls), not both");

        string type = values.GetValueOrDefault("message-type") ?? "chat";
        if (RefusedTypes.Contains(type, StringComparer.Ordinal))
            throw Usage($"message type '{type}' is not supported: use chat, normal or headline (-c for rooms)");
        if (!SupportedTypes.Contains(type, StringComparer.Ordinal))
            throw Usage($"unsupported message type '{type}': use chat, normal or headline");
        if (flags.Contains("headline"))
        {
            if (type != "chat")
                throw Usage("options --headline and --message-type are mutually exclusive");
            type = "headline";
        }

        (string? jserver, int port) = (Value("jserver"), 0);
        if (jserver is not null)
            (jserver, port) = SplitPort(jserver, "-j");

        return new SendxmppOptions
        {
            RcFile = Value("file"),
            Username = Value("username"),
            Password = Value("password"),
            Jserver = jserver,
            Port = port,
            Component = Value("component"),
            Resource = Value("resource"),
            Tls = flags.Contains("tls"),
            Ssl = flags.Contains("ssl"),
            NoTlsVerify = flags.Contains("no-tls-verify"),
            TlsCaPath = Value("tls-ca-path"),
            MessageType = type,
            Chatroom = flags.Contains("chatroom"),
            Subject = Value("subject"),
            MessageFile = Value("message"),
            Interactive = flags.Contains("interactive"),
            Verbose = flags.Contains("verbose"),
            Debug = flags.Contains("debug"),
            Help = flags.Contains("help"),
            Version = flags.Contains("version"),
            Recipients = recipients,
        };
    }

    /// <summary>Splits sendxmpp's <c>host:port</c> (its pattern <c>(.*):(\d+)</c>); no port gives 0.</summary>
    public static (string Host, int Port) SplitPort(string text, string where)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0 || colon == text.Length - 1 || !text[(colon + 1)..].All(char.IsAsciiDigit))
            return (text, 0);
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new CliException(where == "-j" ? ExitCodes.Usage : ExitCodes.Config, $"invalid port in {where} '{text}': use 1-65535");
        return (text[..colon], port);
    }

    private static CliException Usage(string message) => new(ExitCodes.Usage, message + " (see 'sendxmpp --help')");
}
