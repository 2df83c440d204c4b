namespace XSend.Tests.Cli;

/// <summary>Bad settings: exit 78 and one line naming the key and the file.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<string> FailsWithConfigErrorAsync(params string[] args)
    {
        CliResult result = await _cli.RunAsync([.. args, "bob@example.org", "hello"]);
        Assert.Equal(78, result.ExitCode);
        return Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task Missing_account_names_the_key_and_where_to_put_it()
    {
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal($"xsend: no account configured: set Account:Jid in {_cli.UserConfigPath} or {_cli.SystemConfigPath}, or use XSEND_ACCOUNT__JID or --jid", line);
    }

    [Fact]
    public async Task Invalid_json_names_the_file()
    {
        string path = _cli.WriteFile("bad.json", "{ \"Account\": { \"Jid\": ");
        string line = await FailsWithConfigErrorAsync("--config", path);
        Assert.StartsWith($"xsend: cannot read config file {path}:", line);
    }

    [Fact]
    public async Task Missing_config_file_is_named()
    {
        string line = await FailsWithConfigErrorAsync("--config", Path.Combine(_cli.Home, "nope.json"));
        Assert.Equal($"xsend: config file {Path.Combine(_cli.Home, "nope.json")} (from --config) does not exist", line);
    }

    [Fact]
    public async Task Invalid_jid_names_key_and_file()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", """{ "Account": { "Jid": "not a jid", "Password": "x" } }""");
        string line = await FailsWithConfigErrorAsync();
        Assert.StartsWith($"xsend: invalid Account:Jid in {path}: 'not a jid' is not an account address", line);
    }

    [Fact]
    public async Task Invalid_server_names_key_and_file()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", """{ "Account": { "Jid": "a@example.org", "Password": "x", "Server": "host:99999" } }""");
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal($"xsend: invalid Account:Server in {path}: 'host:99999' is not host[:port] ('99999' is not a port number (1-65535))", line);
    }

    [Theory]
    [InlineData("Account", "PasswordFile")]
    [InlineData("Account", "CaFile")]
    [InlineData("Rooms", "PasswordFile")]
    public async Task A_control_character_in_a_path_setting_names_the_key_not_an_internal_error(string section, string key)
    {
        string json = $$"""{ "Account": { "Jid": "a@example.org", "Password": "x" }, "{{section}}": { "{{key}}": "a\u0000b" } }""";
        if (section == "Account" && key == "PasswordFile")
            json = """{ "Account": { "Jid": "a@example.org", "PasswordFile": "a\u0000b" } }""";
        string path = _cli.WriteFile(".config/xsend/appsettings.json", json);
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal($"xsend: invalid {section}:{key} in {path}: the path contains a control character", line);
    }

    [Fact]
    public async Task A_control_character_in_the_server_is_refused_at_once()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", """{ "Account": { "Jid": "a@example.org", "Password": "x", "Server": "127.0.0.1\u0000" } }""");
        string line = await FailsWithConfigErrorAsync();
        Assert.StartsWith($"xsend: invalid Account:Server in {path}:", line);
    }

    [Fact]
    public async Task Invalid_environment_value_names_the_variable()
    {
        _cli.Variables["XSEND_ACCOUNT__JID"] = "a@example.org";
        _cli.Variables["XSEND_ACCOUNT__PASSWORD"] = "x";
        _cli.Variables["XSEND_TIMEOUT"] = "soon";
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal("xsend: invalid environment variable XSEND_TIMEOUT: must be more than 0 and at most 3600 seconds, not 'soon'", line);
    }

    [Fact]
    public async Task Missing_password_file_names_key_file_and_path()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", """{ "Account": { "Jid": "a@example.org", "PasswordFile": "missing-pw" } }""");
        string line = await FailsWithConfigErrorAsync();
        Assert.StartsWith($"xsend: invalid Account:PasswordFile in {path}: cannot read {Path.Combine(Path.GetDirectoryName(path)!, "missing-pw")}", line);
    }

    [Fact]
    public async Task Missing_password_says_how_to_set_one()
    {
        string line = await FailsWithConfigErrorAsync("--jid", "a@example.org");
        Assert.StartsWith("xsend: no password for a@example.org: set Account:PasswordFile", line);
    }

    [Fact]
    public async Task Password_and_password_file_in_one_file_is_ambiguous()
    {
        string path = _cli.WriteFile(".config/xsend/appsettings.json", """{ "Account": { "Jid": "a@example.org", "Password": "x", "PasswordFile": "y" } }""");
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal($"xsend: set either Account:Password or Account:PasswordFile, not both (Account:Password in {path})", line);
    }

    [Fact]
    public async Task Ca_file_without_certificates_is_named()
    {
        string ca = _cli.WriteFile("empty.pem", "not a certificate");
        string line = await FailsWithConfigErrorAsync("--jid", "a@example.org", "--password", "x", "--ca-file", ca);
        Assert.Equal($"xsend: invalid option --ca-file: {ca} holds no PEM certificates", line);
    }

    [Fact]
    public async Task Password_on_the_command_line_is_allowed_but_warned_about()
    {
        CliResult result = await _cli.RunAsync(["--jid", "a@example.org", "--password", "x", "--server", "127.0.0.1:1", "--timeout", "2", "bob@example.org", "hi"]);
        Assert.Contains("xsend: warning: --password is visible to other users in ps", result.Stderr);
        Assert.NotEqual(78, result.ExitCode);
    }

    [Theory]
    [InlineData("XSEND_TIMEOUT", "NaN", "environment variable XSEND_TIMEOUT: must be more than 0 and at most 3600 seconds, not 'NaN'")]
    [InlineData("XSEND_TIMEOUT", "Infinity", "environment variable XSEND_TIMEOUT: must be more than 0 and at most 3600 seconds, not 'Infinity'")]
    [InlineData("XSEND_TIMEOUT", "0", "environment variable XSEND_TIMEOUT: must be more than 0 and at most 3600 seconds, not '0'")]
    [InlineData("XSEND_OUTBOX__MAX_AGE_HOURS", "NaN", "environment variable XSEND_OUTBOX__MAX_AGE_HOURS: must be more than 0 and at most 8760 hours, not 'NaN'")]
    public async Task Numbers_out_of_range_or_not_numbers_are_config_errors(string variable, string value, string problem)
    {
        _cli.Variables["XSEND_ACCOUNT__JID"] = "a@example.org";
        _cli.Variables["XSEND_ACCOUNT__PASSWORD"] = "x";
        _cli.Variables[variable] = value;
        Assert.Equal($"xsend: invalid {problem}", await FailsWithConfigErrorAsync());
    }

    [Fact]
    public async Task NaN_max_age_fails_outbox_list_too()
    {
        _cli.Variables["XSEND_OUTBOX__MAX_AGE_HOURS"] = "NaN";
        CliResult result = await _cli.RunAsync(["outbox", "list"]);
        Assert.Equal(78, result.ExitCode);
        Assert.StartsWith("xsend: invalid environment variable XSEND_OUTBOX__MAX_AGE_HOURS:", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("\"NaN\"", "must be more than 0 and at most 3600 seconds, not 'NaN'")]
    [InlineData("0", "must be more than 0 and at most 3600 seconds, not '0'")]
    [InlineData("[1, 2]", "expected a single value, not a list or object")]
    [InlineData("{ \"Seconds\": 5 }", "expected a single value, not a list or object")]
    [InlineData("true", "must be more than 0 and at most 3600 seconds, not 'True'")]
    public async Task A_timeout_of_the_wrong_kind_in_a_file_is_named(string json, string problem)
    {
        string path = _cli.WriteFile("settings.json", $$"""{ "Account": { "Jid": "a@example.org", "Password": "x" }, "Timeout": {{json}} }""");
        Assert.Equal($"xsend: invalid Timeout in {path}: {problem}", await FailsWithConfigErrorAsync("--config", path));
    }

    [Fact]
    public async Task A_section_given_as_a_value_says_what_is_wrong()
    {
        string path = _cli.WriteFile("settings.json", """{ "Account": "x" }""");
        string line = await FailsWithConfigErrorAsync("--config", path);
        Assert.Equal($"xsend: invalid Account in {path}: expected an object with keys such as Account:Jid, not the value 'x'", line);
    }

    [Fact]
    public async Task A_list_where_a_value_belongs_in_the_environment_is_named()
    {
        _cli.Variables["XSEND_ACCOUNT__JID__0"] = "a@example.org";
        string line = await FailsWithConfigErrorAsync();
        Assert.Equal("xsend: invalid environment variable XSEND_ACCOUNT__JID: expected a single value, not a list or object", line);
    }

    [Fact]
    public async Task Config_naming_a_directory_says_so()
    {
        string line = await FailsWithConfigErrorAsync("--config", _cli.Home);
        Assert.Equal($"xsend: config file {_cli.Home} (from --config) is a directory", line);
    }
}
