namespace XSend.IntegrationTests;

/// <summary>What the real server's refusals look like to the user.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class FailureTests(ProsodyFixture prosody)
{
    [Fact]
    public async Task Wrong_password_exits_77_with_one_line()
    {
        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice", password: "not-the-password"), "bob@xsend.test", "hi"]);

        Assert.Equal(77, result.ExitCode);
        // One line, carrying Prosody's own condition and text.
        Assert.Matches(@"^xsend: authentication failed: not-authorized \(.+\)\n$", result.Stderr);
    }

    [Fact]
    public async Task Server_certificate_is_not_trusted_without_its_ca()
    {
        string passwordFile = Path.Combine(prosody.Directory, "alice-untrusted.pw");
        File.WriteAllText(passwordFile, ProsodyFixture.PasswordOf("alice"));
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        ProcessResult result = await XsendProcess.RunAsync(
            ["--jid", "alice@xsend.test", "--password-file", passwordFile, "--server", prosody.Endpoint, "bob@xsend.test", "hi"]);

        Assert.Equal(79, result.ExitCode);
        // The core states the facts (issuer, pin); the CLI adds how to trust it.
        Assert.Matches(@"^xsend: TLS failed: the server's certificate \(issued by CN=xsend sandbox CA\) is not trusted \(sha256:[A-Za-z0-9+/]{43}=\); trust its CA with --ca-file or its key with --pin\n$",
            result.Stderr);
    }

    [Fact]
    public async Task Unknown_local_recipient_is_bounced_and_reported()
    {
        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice"), "nobody@xsend.test", "hi"]);

        Assert.Equal(69, result.ExitCode);
        Assert.StartsWith("xsend: message rejected by nobody@xsend.test: service-unavailable", result.Stderr);
    }
}
