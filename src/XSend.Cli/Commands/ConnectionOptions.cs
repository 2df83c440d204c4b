using System.CommandLine;
using System.Globalization;
using XSend.Cli.Configuration;

namespace XSend.Cli.Commands;

/// <summary>The account and connection options, shared by every command (recursive options).</summary>
internal sealed class ConnectionOptions
{
    public readonly Option<string> Jid = new("--jid")
    {
        Description = "The account to send from (config Account:Jid).",
        HelpName = "JID",
        Recursive = true,
    };

    public readonly Option<string> Password = new("--password")
    {
        Description = "The account's password. Visible to other users in ps: prefer --password-file.",
        HelpName = "PASSWORD",
        Recursive = true,
    };

    public readonly Option<string> PasswordFile = new("--password-file")
    {
        Description = "A file holding the account's password (config Account:PasswordFile).",
        HelpName = "PATH",
        Recursive = true,
    };

    public readonly Option<string> Server = new("--server")
    {
        Description = "Connect to this host instead of the JID's domain, e.g. talk.google.com:5222 (config Account:Server).",
        HelpName = "HOST[:PORT]",
        Recursive = true,
    };

    public readonly Option<string> CaFile = new("--ca-file")
    {
        Description = "Trust the CA certificates in this PEM file instead of the system's, like curl --cacert (config Account:CaFile).",
        HelpName = "PATH",
        Recursive = true,
    };

    public readonly Option<bool> DirectTls = new("--direct-tls")
    {
        Description = "Start TLS at once on connect (XEP-0368, usually port 5223) instead of STARTTLS, for --server (config Account:DirectTls).",
        Recursive = true,
    };

    public readonly Option<string[]> Pin = new("--pin")
    {
        Description = "Accept exactly this server key, given as the sha256:BASE64 pin that TLS errors print; repeatable. "
            + "Replaces the CA and name checks, for self-signed servers (config Account:Pin, comma-separated).",
        HelpName = "sha256:BASE64",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public readonly Option<bool> Insecure = new("--insecure")
    {
        Description = "Do not verify the server's certificate at all. Anyone on the path can impersonate the server; PLAIN is refused. For tests only.",
        Recursive = true,
    };

    public readonly Option<bool> RequireChannelBinding = new("--require-channel-binding")
    {
        Description = "Log in only with a channel-bound mechanism (SCRAM-*-PLUS) (config Security:RequireChannelBinding).",
        Recursive = true,
    };

    public readonly Option<bool> PinMechanism = new("--pin-mechanism")
    {
        Description = "Remember the strongest login mechanism per account and refuse weaker ones later, "
            + "against a stripped offer (config Security:PinMechanism; state in ~/.local/state/xsend/mechanisms.json).",
        Recursive = true,
    };

    public readonly Option<string> Config = new("--config")
    {
        Description = "Read settings from this JSON file too, over /etc/xsend and ~/.config/xsend.",
        HelpName = "PATH",
        Recursive = true,
    };

    public readonly Option<double?> Timeout = new("--timeout")
    {
        Description = "The overall deadline in seconds, covering every step (config Timeout). Default: 30.",
        HelpName = "SECONDS",
        Recursive = true,
    };

    public readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Narrate each step on stderr, with timings; show stack traces on failure.",
        Recursive = true,
    };

    public readonly Option<bool> Debug = new("--debug")
    {
        Description = "Print the XML exchanged (C:/S: lines) on stderr. SASL payloads and passwords are redacted.",
        Recursive = true,
    };

    public readonly Option<bool> AllowPlaintext = new("--allow-plaintext")
    {
        Description = "Continue without TLS if the server does not offer it (PLAIN stays refused). Unsafe; for test servers only.",
        Recursive = true,
    };

    public ConnectionOptions()
    {
        Timeout.CustomParser = SecondsParser("--timeout");
    }

    /// <summary>Parses a number of seconds above 0 and at most an hour, with an error naming the option.</summary>
    public static Func<System.CommandLine.Parsing.ArgumentResult, double?> SecondsParser(string optionName) => result =>
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        // NaN fails every comparison, so the range is written as what is accepted.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0 && seconds <= 3600))
        {
            result.AddError($"{optionName} must be more than 0 and at most 3600 seconds, not '{text}'");
            return null;
        }
        return seconds;
    };

    public IEnumerable<Option> All =>
        [Jid, Password, PasswordFile, Server, CaFile, DirectTls, Pin, Insecure, RequireChannelBinding, PinMechanism, Config, Timeout, Verbose, Debug, AllowPlaintext];

    public ConnectionRequest ToRequest(ParseResult result)
    {
        var overrides = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        void Add(Option<string> option, string key)
        {
            if (result.GetValue(option) is { } value)
                overrides[key] = (value, option.Name);
        }
        Add(Jid, ConfigKeys.Jid);
        Add(Password, ConfigKeys.Password);
        Add(PasswordFile, ConfigKeys.PasswordFile);
        Add(Server, ConfigKeys.Server);
        Add(CaFile, ConfigKeys.CaFile);
        void Flag(Option<bool> option, string key)
        {
            if (result.GetValue(option))
                overrides[key] = ("true", option.Name);
        }
        Flag(DirectTls, ConfigKeys.DirectTls);
        Flag(RequireChannelBinding, ConfigKeys.RequireChannelBinding);
        Flag(PinMechanism, ConfigKeys.PinMechanism);
        if (result.GetValue(Pin) is { Length: > 0 } pins)
            overrides[ConfigKeys.Pin] = (string.Join(',', pins), Pin.Name);

        return new ConnectionRequest(
            result.GetValue(Config),
            overrides,
            result.GetValue(Password) is not null,
            result.GetValue(Timeout) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            result.GetValue(Verbose),
            result.GetValue(Debug),
            result.GetValue(AllowPlaintext))
        {
            Insecure = result.GetValue(Insecure),
        };
    }
}
