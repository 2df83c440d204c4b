using System.Text.Json;

namespace XSend.IntegrationTests;

/// <summary>check, contact and listen --json against the real server.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class OperatorCommandTests(ProsodyFixture prosody)
{
    [Fact]
    public async Task Check_json_reports_tls_sasl_and_server_features()
    {
        ProcessResult result = await XsendProcess.RunAsync(["check", "--json", "--config", prosody.WriteConfig("alice")]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument report = JsonDocument.Parse(result.Stdout);
        JsonElement root = report.RootElement;
        Assert.Equal("alice@xsend.test", root.GetProperty("account").GetString());
        Assert.Matches(@"^alice@xsend\.test/xsend-[0-9a-f]{8}$", root.GetProperty("boundJid").GetString());
        Assert.Equal(prosody.Endpoint, root.GetProperty("server").GetString());
        Assert.Equal(prosody.Endpoint, root.GetProperty("address").GetString());
        Assert.Equal([$"{prosody.Endpoint} connected"], root.GetProperty("attempts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("skipped: explicit server", root.GetProperty("srv").GetString());
        JsonElement tls = root.GetProperty("tls");
        Assert.Equal("TLS 1.3", tls.GetProperty("version").GetString());
        Assert.StartsWith("TLS_", tls.GetProperty("cipher").GetString());
        Assert.Equal("CN=xsend.test", tls.GetProperty("subject").GetString());
        Assert.Equal("CN=xsend sandbox CA", tls.GetProperty("issuer").GetString());
        Assert.True(tls.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Matches("^sha256:[A-Za-z0-9+/]{43}=$", tls.GetProperty("pin").GetString());
        JsonElement sasl = root.GetProperty("sasl");
        Assert.Equal(["PLAIN", "SCRAM-SHA-1"], sasl.GetProperty("offered").EnumerateArray().Select(m => m.GetString()).Order());
        Assert.Equal("SCRAM-SHA-1", sasl.GetProperty("used").GetString());
        JsonElement features = root.GetProperty("features");
        Assert.True(features.GetProperty("streamManagement").GetBoolean());
        Assert.True(features.GetProperty("clientStateIndication").GetBoolean());
        Assert.True(features.GetProperty("carbons").GetBoolean());
        Assert.True(features.GetProperty("ping").GetBoolean());
        Assert.Equal("conference.xsend.test", features.GetProperty("muc").GetString());
        Assert.Equal(JsonValueKind.Null, features.GetProperty("upload").ValueKind);
    }

    [Fact]
    public async Task Check_in_text_form_is_readable()
    {
        ProcessResult result = await XsendProcess.RunAsync(["check", "--config", prosody.WriteConfig("alice")]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("tls:          TLS 1.3, TLS_", result.Stdout);
        Assert.Contains("sasl:         offered ", result.Stdout);
        Assert.Contains("muc conference.xsend.test", result.Stdout);
    }

    [Fact]
    public async Task Contact_add_on_both_sides_makes_two_fresh_accounts_mutual_contacts()
    {
        ProcessResult patAdds = await XsendProcess.RunAsync(["contact", "add", "--config", prosody.WriteConfig("pat"), "quinn@xsend.test"]);
        Assert.True(patAdds.ExitCode == 0, patAdds.Stderr);
        Assert.Equal("asked quinn@xsend.test for a subscription and pre-approved theirs\n", patAdds.Stdout);

        ProcessResult quinnAdds = await XsendProcess.RunAsync(["contact", "add", "--config", prosody.WriteConfig("quinn"), "pat@xsend.test"]);
        Assert.True(quinnAdds.ExitCode == 0, quinnAdds.Stderr);

        ProcessResult patList = await XsendProcess.RunAsync(["contact", "list", "--json", "--config", prosody.WriteConfig("pat")]);
        Assert.True(patList.ExitCode == 0, patList.Stderr);
        using JsonDocument patQuinn = JsonDocument.Parse(patList.Stdout.Trim());
        Assert.Equal("quinn@xsend.test", patQuinn.RootElement.GetProperty("jid").GetString());
        Assert.Equal("both", patQuinn.RootElement.GetProperty("subscription").GetString());

        // Prosody 0.12 answers a pre-approved request before recording the requester's pending
        // subscription, so quinn's own request may stay pending; quinn does see pat.
        ProcessResult quinnList = await XsendProcess.RunAsync(["contact", "list", "--config", prosody.WriteConfig("quinn")]);
        Assert.Matches(@"^pat@xsend\.test  (both|from \(asked: subscribe\))\n$", quinnList.Stdout);

        await using Receiver quinn = await Receiver.OnlineAsync(prosody, "quinn");
        ProcessResult message = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("pat"), "quinn@xsend.test", "now contacts"]);
        Assert.True(message.ExitCode == 0, message.Stderr);
        Assert.Equal("now contacts", Assert.Single(await quinn.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Listen_json_prints_one_object_per_message()
    {
        string body = $"json {Guid.NewGuid():N} \"quoted\" 报警";
        Assert.Equal(0, (await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--subject", "disk", "rita@xsend.test", body])).ExitCode);

        ProcessResult result = await XsendProcess.RunAsync(["listen", "--json", "--count", "1", "--config", prosody.WriteConfig("rita")]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using JsonDocument line = JsonDocument.Parse(result.Stdout.Trim());
        Assert.Equal(body, line.RootElement.GetProperty("body").GetString());
        Assert.Equal("disk", line.RootElement.GetProperty("subject").GetString());
        Assert.Equal("chat", line.RootElement.GetProperty("type").GetString());
        Assert.StartsWith("alice@xsend.test/xsend-", line.RootElement.GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.String, line.RootElement.GetProperty("delay").ValueKind); // stored offline, so stamped
    }
}
