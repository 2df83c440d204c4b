using XSend.Cli.Configuration;

namespace XSend.Tests.Cli;

/// <summary>Where settings come from, which wins, and what a bad one says.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly StringWriter _warnings = new();

    public void Dispose() => _cli.Dispose();

    private SenderSettings Load(string? configPath = null, Dictionary<string, (string, string)>? options = null) =>
        SettingsLoader.Load(_cli.Environment(stdinIsTerminal: true), configPath, options ?? new(), _warnings);

    private static string Json(string jid, string? password = null, string? extra = null) =>
        $$"""{ "Account": { "Jid": "{{jid}}"{{(password is null ? "" : $", \"Password\": \"{password}\"")}}{{extra}} } }""";

    [Fact]
    public void Later_sources_override_earlier_ones()
    {
        File.WriteAllText(_cli.WriteFile("etc/appsettings.json", Json("system@example.org", "pw")), Json("system@example.org", "pw"));
        Assert.Equal("system@example.org", Load().Account.ToString());

        _cli.WriteFile(".config/xsend/appsettings.json", Json("user@example.org"));
        Assert.Equal("user@example.org", Load().Account.ToString());

        string explicitConfig = _cli.WriteFile("explicit.json", Json("explicit@example.org"));
        Assert.Equal("explicit@example.org", Load(explicitConfig).Account.ToString());

        _cli.Variables["XSEND_ACCOUNT__JID"] = "env@example.org";
        Assert.Equal("env@example.org", Load(explicitConfig).Account.ToString());

        var options = new Dictionary<string, (string, string)> { [ConfigKeys.Jid] = ("cli@example.org", "--jid") };
        Assert.Equal("cli@example.org", Load(explicitConfig, options).Account.ToString());
    }

    [Fact]
    public void Xdg_config_home_is_honoured()
    {
        string xdg = Path.Combine(_cli.Home, "xdg");
        _cli.Variables["XDG_CONFIG_HOME"] = xdg;
        _cli.WriteFile("xdg/xsend/appsettings.json", Json("xdg@example.org", "pw"));
        Assert.Equal("xdg@example.org", Load().Account.ToString());
    }

    [Fact]
    public void Every_documented_key_is_read()
    {
        string passwordFile = _cli.WriteFile("secrets/pw", "from-file\r\n");
        string config = _cli.WriteFile("conf/xsend.json", $$"""
            { "Account": { "Jid": "alerts@gmail.com", "PasswordFile": "../secrets/pw", "Server": "talk.google.com:443",
                           "CaFile": "{{Fakes.TestCertificates.CaPemPath}}", "ResourcePrefix": "nagios" },
              "Timeout": 12.5 }
            """);

        SenderSettings settings = Load(config);

        Assert.Equal("alerts@gmail.com", settings.Account.ToString());
        Assert.Equal("from-file", settings.Password); // relative to the config file, trailing newline dropped
        Assert.Equal(new Xmpp.ServerEndpoint("talk.google.com", 443), settings.Server);
        Assert.Equal(Fakes.TestCertificates.Ca.Thumbprint, Assert.Single(settings.TrustedCertificates!).Thumbprint);
        Assert.Equal("nagios", settings.ResourcePrefix);
        Assert.Equal(TimeSpan.FromSeconds(12.5), settings.Timeout);
        Assert.Equal("", _warnings.ToString());
    }

    [Fact]
    public void Environment_variables_use_double_underscores_and_word_underscores()
    {
        string passwordFile = _cli.WriteFile("pw", "envpw");
        _cli.Variables["XSEND_ACCOUNT__JID"] = "env@example.org";
        _cli.Variables["XSEND_ACCOUNT__PASSWORD_FILE"] = passwordFile;
        _cli.Variables["XSEND_ACCOUNT__SERVER"] = "[::1]:5223";

        SenderSettings settings = Load();

        Assert.Equal("envpw", settings.Password);
        Assert.Equal(new Xmpp.ServerEndpoint("::1", 5223), settings.Server);
    }

    [Fact]
    public void The_more_specific_password_source_wins()
    {
        string passwordFile = _cli.WriteFile("pw", "file-password");
        _cli.WriteFile(".config/xsend/appsettings.json", Json("a@example.org", "config-password"));
        var options = new Dictionary<string, (string, string)> { [ConfigKeys.PasswordFile] = (passwordFile, "--password-file") };

        Assert.Equal("file-password", Load(options: options).Password);
    }

    [Fact]
    public void Password_in_a_world_readable_config_file_draws_a_warning()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", Json("a@example.org", "pw"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Load();

        Assert.Equal($"xsend: warning: config file holding a password {path} is readable by group or others (mode 0644); run: chmod 600 {path}\n",
            _warnings.ToString().Replace("\r", ""));
    }

    [Fact]
    public void A_private_config_file_draws_no_warning()
    {
        _cli.WriteFile(".config/xsend/appsettings.json", Json("a@example.org", "pw"));
        Load();
        Assert.Equal("", _warnings.ToString());
    }

    [Fact]
    public void A_readable_password_file_draws_a_warning()
    {
        string passwordFile = _cli.WriteFile("pw", "x", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        _cli.WriteFile(".config/xsend/appsettings.json", $$"""{ "Account": { "Jid": "a@example.org", "PasswordFile": "{{passwordFile}}" } }""");
        Load();
        Assert.Contains($"password file {passwordFile} is readable by group or others (mode 0640)", _warnings.ToString());
    }
}
