using System.Reflection;
using XSend.Cli.Configuration;

namespace XSend.Tests.Cli;

/// <summary>appsettings.example.json stays valid and documents every key xsend reads.</summary>
public class ExampleSettingsTests
{
    internal static string ExamplePath()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "appsettings.example.json");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("appsettings.example.json not found above the test directory");
    }

    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (FieldInfo field in typeof(ConfigKeys).GetFields().Where(f => f.IsLiteral && f.Name != nameof(ConfigKeys.EnvironmentPrefix)))
            data.Add((string)field.GetRawConstantValue()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_is_in_the_example_with_its_environment_variable(string key)
    {
        ConfigLayer example = ConfigLayer.FromJsonFile(ExamplePath());
        Assert.NotNull(example.Get(key));
        Assert.Contains(ConfigKeys.EnvironmentName(key), File.ReadAllText(ExamplePath()));
    }
}
