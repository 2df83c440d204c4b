using Microsoft.Extensions.Configuration;

namespace XSend.Cli.Configuration;

/// <summary>
/// One source of settings (a JSON file, the environment, the command line). Layers are kept
/// apart, rather than merged, so an error can name the file or variable a value came from.
/// </summary>
internal sealed class ConfigLayer
{
    private readonly IConfiguration _configuration;
    private readonly Func<string, string> _describeKey;

    private ConfigLayer(IConfiguration configuration, string? filePath, Func<string, string> describeKey)
    {
        _configuration = configuration;
        FilePath = filePath;
        _describeKey = describeKey;
    }

    /// <summary>The JSON file behind this layer, if it is one.</summary>
    public string? FilePath { get; }

    /// <summary>The value of <paramref name="key"/> here, or <see langword="null"/>.</summary>
    public string? Get(string key) => _configuration[key];

    /// <summary>Where a key of this layer is set, for messages: "Account:Jid in /etc/xsend/appsettings.json".</summary>
    public string Describe(string key) => _describeKey(key);

    /// <summary>Resolves a path setting relative to the file that set it (or to the working directory).</summary>
    public string ResolvePath(string path) =>
        FilePath is null || Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(path, Path.GetDirectoryName(FilePath)!);

    public static ConfigLayer FromJsonFile(string path)
    {
        string fullPath = Path.GetFullPath(path);
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddJsonFile(fullPath, optional: false, reloadOnChange: false)
                .Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            string detail = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new Failures.CliException(Failures.ExitCodes.Config, $"cannot read config file {fullPath}: {detail}");
        }
        return new ConfigLayer(configuration, fullPath, key => $"{key} in {fullPath}");
    }

    public static ConfigLayer FromEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        // XSEND_ACCOUNT__PASSWORD_FILE -> Account:PasswordFile (configuration keys are case-insensitive).
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in variables)
        {
            if (name.StartsWith(ConfigKeys.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                values[ConfigKeys.KeyFromEnvironmentName(name[ConfigKeys.EnvironmentPrefix.Length..])] = value;
        }
        return FromValues(values, key => $"environment variable {ConfigKeys.EnvironmentName(key)}");
    }

    public static ConfigLayer FromCommandLine(IReadOnlyDictionary<string, (string Value, string Option)> options)
    {
        var values = options.ToDictionary(o => o.Key, o => (string?)o.Value.Value, StringComparer.OrdinalIgnoreCase);
        return FromValues(values, key => options.TryGetValue(key, out var option) ? $"option {option.Option}" : key);
    }

    private static ConfigLayer FromValues(Dictionary<string, string?> values, Func<string, string> describe) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), null, describe);
}
