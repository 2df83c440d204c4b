namespace XSend.IntegrationTests.Recipes;

/// <summary>
/// docs/recipes/systemd.md: the OnFailure= template and an example unit checked by
/// <c>systemd-analyze verify</c> (paths pointed into a temp dir, where the script is), and the
/// script run with a unit name as <c>%i</c> and the recipient from the EnvironmentFile.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class SystemdRecipeTests(ProsodyFixture prosody)
{
    private const string Recipient = "rcpsystemd";

    [Fact]
    public async Task The_units_verify_and_the_script_sends_the_failed_unit()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-systemd-").FullName;
        Recipe recipe = Recipe.Open("systemd");
        string script = recipe.Install("xsend-unit-failed", dir, executable: true);
        string defaults = recipe.Install("xsend-notify.default", dir,
            text => text.Replace("ops@example.org", $"{Recipient}@{SandboxServerFixture.Domain}", StringComparison.Ordinal));
        string Local(string text) => text
            .Replace("/usr/local/lib/xsend/xsend-unit-failed", script, StringComparison.Ordinal)
            .Replace("/etc/default/xsend-notify", defaults, StringComparison.Ordinal);
        // An instance of the template, as OnFailure=xsend-notify@%n.service makes it, and the example unit.
        string template = recipe.Install("xsend-notify@.service", dir, Local);
        string instance = Path.Combine(dir, "xsend-notify@backup.service.service");
        File.Copy(template, instance);
        string backup = recipe.Install("backup.service", dir);

        ProcessResult verified = await XsendProcess.RunAsync(["verify", "--man=no", template, instance, backup], binary: "systemd-analyze");
        Assert.True(verified.ExitCode == 0, verified.Stderr);
        Assert.Equal("", verified.Stderr); // not even a warning (an unknown key is only one)

        // Run as the template runs it: %i is the failed unit; the recipient comes from the EnvironmentFile.
        Dictionary<string, string> environment = Recipe.XsendEnvironment(prosody, dir);
        environment["XSEND_NOTIFY_TO"] = File.ReadAllLines(defaults).Single(l => l.StartsWith("XSEND_NOTIFY_TO=", StringComparison.Ordinal))["XSEND_NOTIFY_TO=".Length..];
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        ProcessResult sent = await XsendProcess.RunAsync(["backup.service"], binary: script, environment: environment);

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        var alert = Assert.Single(await receiver.ReceiveAsync());
        string host = System.Net.Dns.GetHostName();
        Assert.Equal($"backup.service failed on {host}", alert.Subject);
        Assert.StartsWith($"{host}: backup.service failed\n", alert.Body, StringComparison.Ordinal);

        environment.Remove("XSEND_NOTIFY_TO");
        ProcessResult unset = await XsendProcess.RunAsync(["backup.service"], binary: script, environment: environment);
        Assert.Equal((64, "usage: XSEND_NOTIFY_TO=JID xsend-unit-failed UNIT\n"), (unset.ExitCode, unset.Stderr));
        Directory.Delete(dir, recursive: true);
    }
}
