namespace XSend.IntegrationTests.Recipes;

/// <summary>docs/recipes/zabbix.md: the media type script run with Zabbix's {ALERT.SENDTO} {ALERT.SUBJECT} {ALERT.MESSAGE}.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class ZabbixRecipeTests(ProsodyFixture prosody)
{
    private const string Recipient = "rcpzabbix";

    [Fact]
    public async Task The_script_sends_subject_and_message_to_sendto()
    {
        string dir = Directory.CreateTempSubdirectory("xsend-zabbix-").FullName;
        string script = Recipe.Open("zabbix").Install("xsend-zabbix", dir, executable: true);
        await using Receiver receiver = await Receiver.OnlineAsync(prosody, Recipient);
        Dictionary<string, string> environment = Recipe.XsendEnvironment(prosody, dir);

        // As Zabbix expands them: the subject and a multi-line message, with characters a shell would act on.
        ProcessResult result = await XsendProcess.RunAsync(
            [$"{Recipient}@{SandboxServerFixture.Domain}", "Problem: Disk space is low on db1", "Host: db1\nSeverity: High\nValue: 97 % `df` $(id)"],
            binary: script, environment: environment);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var message = Assert.Single(await receiver.ReceiveAsync());
        Assert.Equal("Problem: Disk space is low on db1", message.Subject);
        Assert.Equal("Problem: Disk space is low on db1\nHost: db1\nSeverity: High\nValue: 97 % `df` $(id)", message.Body);

        ProcessResult missing = await XsendProcess.RunAsync(["only-two", "args"], binary: script, environment: environment);
        Assert.Equal((64, "usage: xsend-zabbix SENDTO SUBJECT MESSAGE\n"), (missing.ExitCode, missing.Stderr));
        Directory.Delete(dir, recursive: true);
    }
}
