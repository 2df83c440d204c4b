using System.CommandLine;
using System.Globalization;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using XSend.Cli.Configuration;

namespace XSend.Cli.Commands;

/// <summary>The <c>xsend [options] &lt;jid&gt; [&lt;text&gt;...]</c> command line: each argument and option, with its help text.</summary>
internal sealed class SendCommandLine
{
    public readonly Argument<string> Recipient = new("jid")
    {
        Description = "The recipient's address, for example ops@example.org.",
    };

    public readonly Argument<string[]> Text = new("text")
    {
        Description = "The message. Words are joined with spaces. Without text, the message is read from stdin.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public readonly Option<string> Jid = new("--jid")
    {
        Description = "The account to send from (config Account:Jid).",
        HelpName = "JID",
    };

    public readonly Option<string> Password = new("--password")
    {
        Description = "The account's password. Visible to other users in ps: prefer --password-file.",
        HelpName = "PASSWORD",
    };

    public readonly Option<string> PasswordFile = new("--password-file")
    {
        Description = "A file holding the account's password (config Account:PasswordFile).",
        HelpName = "PATH",
    };

    public readonly Option<string> Server = new("--server")
    {
        Description = "Connect to this host instead of the JID's domain, e.g. talk.google.com:5222 (config Account:Server).",
        HelpName = "HOST[:PORT]",
    };

    public readonly Option<string> CaFile = new("--ca-file")
    {
        Description = "Also trust the CA certificates in this PEM file (config Account:CaFile).",
        HelpName = "PATH",
    };

    public readonly Option<string> Config = new("--config")
    {
        Description = "Read settings from this JSON file too, over /etc/xsend and ~/.config/xsend.",
        HelpName = "PATH",
    };

    public readonly Option<double?> Timeout = new("--timeout")
    {
        Description = "The overall deadline in seconds, covering every step (config Timeout). Default: 30.",
        HelpName = "SECONDS",
    };

    public readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Narrate each step on stderr, with timings; show stack traces on failure.",
    };

    public readonly Option<bool> Debug = new("--debug")
    {
        Description = "Print the XML exchanged (C:/S: lines) on stderr. SASL payloads and passwords are redacted.",
    };

    public readonly Option<bool> AllowPlaintext = new("--allow-plaintext")
    {
        Description = "Continue without TLS if the server does not offer it (PLAIN stays refused). Unsafe; for test servers only.",
    };

    public SendCommandLine()
    {
        Timeout.CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds is <= 0 or > 3600)
            {
                result.AddError($"--timeout takes a number of seconds above 0 and at most 3600, not '{text}'");
                return null;
            }
            return seconds;
        };
    }

    public RootCommand Build()
    {
        var root = new RootCommand("Send an alert over XMPP: connect, authenticate, send one message, wait for the server to accept it, exit.")
        {
            Recipient, Text, Jid, Password, PasswordFile, Server, CaFile, Config, Timeout, Verbose, Debug, AllowPlaintext,
        };
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction defaultHelp)
                help.Action = new HelpWithFooterAction(defaultHelp, HelpFooter.Text);
            else if (option is VersionOption version)
                version.Action = new PrintVersionAction();
        }
        return root;
    }

    public SendRequest ToRequest(ParseResult result)
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

        double? timeout = result.GetValue(Timeout);
        return new SendRequest(
            result.GetRequiredValue(Recipient),
            result.GetValue(Text) ?? [],
            result.GetValue(Config),
            overrides,
            result.GetValue(Password) is not null,
            timeout is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            result.GetValue(Verbose),
            result.GetValue(Debug),
            result.GetValue(AllowPlaintext));
    }
}
