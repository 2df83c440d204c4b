namespace XSend.IntegrationTests.Recipes;

/// <summary>
/// docs/recipes/cron.md: the cronic-style wrapper (silent on success; on failure the last lines
/// over XMPP, the whole output for MAILTO, the job's status) and the crontab's one-line check,
/// run by /bin/sh as cron runs a line.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class CronRecipeTests(ProsodyFixture prosody)
{
    private const string Recipient = "rcpcron";

    private static string Address => $"{Recipient}@{SandboxServerFixture.Domain}";

    [Fact]
    public async Task A_failing_job_sends_its_last_lines_and_a_succeeding_one_stays_silent()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-cron-").FullName;
        string wrapper = Recipe.Open("cron").Install("xsend-cronic", dir, executable: true);
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        Dictionary<string, string> environment = Recipe.XsendEnvironment(prosody, dir);

        ProcessResult failed = await XsendProcess.RunAsync(
            [Address, "sh", "-c", "i=1; while [ $i -le 30 ]; do echo \"backup line $i\"; i=$((i+1)); done; exit 3"],
            binary: wrapper, environment: environment);

        Assert.Equal(3, failed.ExitCode); // the job's own status
        Assert.Equal(string.Concat(Enumerable.Range(1, 30).Select(i => $"backup line {i}\n")), failed.Stdout); // all of it, for MAILTO
        Assert.Equal("", failed.Stderr);
        var alert = Assert.Single(await receiver.ReceiveAsync());
        string host = System.Net.Dns.GetHostName();
        Assert.Equal($"cron job failed on {host}", alert.Subject);
        string[] lines = alert.Body!.Split('\n');
        Assert.Matches(@"^.+: sh -c i=1; .* failed \(exit 3\)$", lines[0]);
        Assert.Equal(Enumerable.Range(11, 20).Select(i => $"backup line {i}"), lines[1..]); // the last 20

        ProcessResult succeeded = await XsendProcess.RunAsync([Address, "sh", "-c", "echo all fine"], binary: wrapper, environment: environment);
        Assert.Equal((0, "", ""), (succeeded.ExitCode, succeeded.Stdout, succeeded.Stderr)); // cron mails nothing
        await receiver.AssertNothingMoreAsync(TimeSpan.FromMilliseconds(500));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task The_crontab_disk_line_sends_only_over_its_threshold()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-crontab-").FullName;
        // The crontab's command part (after the five time fields), with xsend on PATH as installed.
        string line = Recipe.Open("cron").File("crontab").Split('\n').Single(l => l.StartsWith("*/5", StringComparison.Ordinal));
        string command = string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(5)).Replace("ops@example.org", Address, StringComparison.Ordinal);
        string bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "xsend"), XsendProcess.BinaryPath);
        Dictionary<string, string> environment = Recipe.XsendEnvironment(prosody, dir);
        environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);

        ProcessResult quiet = await XsendProcess.RunAsync(["-c", command.Replace("> 90", "> 101", StringComparison.Ordinal)], binary: "/bin/sh", environment: environment);
        Assert.Equal((0, "", ""), (quiet.ExitCode, quiet.Stdout, quiet.Stderr));
        await receiver.AssertNothingMoreAsync(TimeSpan.FromMilliseconds(500));

        ProcessResult over = await XsendProcess.RunAsync(["-c", command.Replace("> 90", "> -1", StringComparison.Ordinal)], binary: "/bin/sh", environment: environment);
        Assert.Equal((0, "", ""), (over.ExitCode, over.Stdout, over.Stderr));
        Assert.Matches(@"^disk / at \d+%$", Assert.Single(await receiver.ReceiveAsync()).Body);
        Directory.Delete(dir, recursive: true);
    }
}
