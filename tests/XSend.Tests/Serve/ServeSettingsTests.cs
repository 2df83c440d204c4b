using System.Net;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Serve;

namespace XSend.Tests.Serve;

/// <summary>Serve:* settings: defaults, recipients as a list or comma-separated, authentication and the open-bind refusal.</summary>
public sealed class ServeSettingsTests
{
    private static ServeSettings Load(params (string Name, string Value)[] environment) =>
        ServeSettings.Load([ConfigLayer.FromEnvironment(environment.ToDictionary(e => e.Name, e => e.Value))]);

    [Fact]
    public void Defaults_are_loopback_9095_without_authentication()
    {
        ServeSettings settings = Load(("XSEND_SERVE__RECIPIENTS", "ops@example.org, oncall@example.org"));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9095), settings.Listen);
        Assert.Equal(["ops@example.org", "oncall@example.org"], settings.Recipients.Select(j => j.ToString()));
        Assert.False(settings.Authentication.IsConfigured);
        Assert.Equal(1024 * 1024, settings.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.DuplicateWindow);
    }

    [Fact]
    public void A_json_list_of_recipients_and_rooms_is_read()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("xsend-serve-settings-").FullName, "config.json");
        File.WriteAllText(file, """
            {"Serve": {"Recipients": ["a@example.org", "b@example.org"], "Rooms": ["ops@conference.example.org"], "Listen": "[::1]:9100",
                       "Routes": {"db-team": ["dba@example.org", "oncall@example.org"], "web": "web@example.org"}}}
            """);

        ServeSettings settings = ServeSettings.Load([ConfigLayer.FromJsonFile(file)]);

        Assert.Equal(["a@example.org", "b@example.org"], settings.Recipients.Select(j => j.ToString()));
        Assert.Equal("ops@conference.example.org", Assert.Single(settings.Rooms).ToString());
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9100), settings.Listen);
        Assert.Equal(["dba@example.org", "oncall@example.org"], settings.Routes["db-team"].Select(j => j.ToString()));
        Assert.Equal("web@example.org", Assert.Single(settings.Routes["web"]).ToString());
    }

    [Theory]
    [InlineData("XSEND_SERVE__LISTEN", "localhost:9095", "is not ADDRESS:PORT")]
    [InlineData("XSEND_SERVE__LISTEN", "127.0.0.1", "is not ADDRESS:PORT")]
    [InlineData("XSEND_SERVE__LISTEN", "0.0.0.0:9095", "refusing to listen on 0.0.0.0:9095 without authentication")]
    [InlineData("XSEND_SERVE__RECIPIENTS", "not a jid@", "is not a JID")]
    [InlineData("XSEND_SERVE__MAX_BODY_BYTES", "12", "must be a whole number from 1024")]
    [InlineData("XSEND_SERVE__BASIC_AUTH", "nocolon", "expected USER:PASSWORD")]
    public void Bad_settings_exit_78_with_one_line_naming_the_key(string name, string value, string expected)
    {
        (string, string)[] environment = name == "XSEND_SERVE__RECIPIENTS" ? [(name, value)] : [("XSEND_SERVE__RECIPIENTS", "ops@example.org"), (name, value)];

        CliException error = Assert.Throws<CliException>(() => Load(environment));

        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void No_recipients_is_a_configuration_error()
    {
        CliException error = Assert.Throws<CliException>(() => Load());
        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains("Serve:Recipients", error.Message);
    }

    [Fact]
    public void A_public_bind_is_allowed_with_a_token_file_or_when_explicitly_allowed()
    {
        string tokenFile = Path.Combine(Directory.CreateTempSubdirectory("xsend-serve-token-").FullName, "token");
        File.WriteAllText(tokenFile, "s3cret\n");

        ServeSettings withToken = Load(("XSEND_SERVE__RECIPIENTS", "ops@example.org"), ("XSEND_SERVE__LISTEN", "0.0.0.0:9095"), ("XSEND_SERVE__TOKEN_FILE", tokenFile));
        ServeSettings open = Load(("XSEND_SERVE__RECIPIENTS", "ops@example.org"), ("XSEND_SERVE__LISTEN", "0.0.0.0:9095"), ("XSEND_SERVE__ALLOW_UNAUTHENTICATED", "true"));

        Assert.True(withToken.Authentication.Allows("Bearer s3cret")); // the file's newline is not part of the token
        Assert.False(open.Authentication.IsConfigured);
    }

    [Fact]
    public void Bearer_and_basic_credentials_are_checked_exactly()
    {
        var both = new WebhookAuthentication("tok", "am:pä ss");
        string basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("am:pä ss"));

        Assert.True(both.Allows("Bearer tok"));
        Assert.True(both.Allows("bearer tok"));
        Assert.True(both.Allows($"Basic {basic}"));
        Assert.False(both.Allows(null));
        Assert.False(both.Allows(""));
        Assert.False(both.Allows("Bearer tok2"));
        Assert.False(both.Allows("Bearer to"));
        Assert.False(both.Allows("Basic " + Convert.ToBase64String("am:wrong"u8.ToArray())));
        Assert.False(both.Allows("Basic !!notbase64"));
        Assert.False(both.Allows("tok"));
        Assert.False(new WebhookAuthentication("tok", null).Allows($"Basic {basic}"));
    }

    [Fact]
    public void The_example_settings_document_the_serve_keys_and_load_with_the_defaults()
    {
        string path = XSend.Tests.Cli.ExampleSettingsTests.ExamplePath();
        ConfigLayer example = ConfigLayer.FromJsonFile(path);

        ServeSettings settings = ServeSettings.Load([example]);

        Assert.Equal(ServeSettings.DefaultListen, settings.Listen);
        Assert.Equal("oncall@example.org", Assert.Single(settings.Recipients).ToString());
        Assert.False(settings.Authentication.IsConfigured); // the empty TokenFile and BasicAuthFile mean none
        foreach (string key in new[]
        {
            ServeSettings.ListenKey, ServeSettings.TokenFileKey, ServeSettings.BasicAuthFileKey, ServeSettings.AllowUnauthenticatedKey,
            ServeSettings.MaxBodyBytesKey, ServeSettings.MaxMessageLengthKey, ServeSettings.DuplicateWindowKey, ServeSettings.RetryKey,
            ServeSettings.DeliveryTimeoutKey,
        })
        {
            Assert.NotNull(example.Get(key));
        }
        Assert.Equal(1024 * 1024, settings.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Retry);
    }
}
