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

    /// <summary>The names of the keys directly under <paramref name="section"/> here (for maps such as Serve:Routes).</summary>
    public IEnumerable<string> ChildKeys(string section) => _configuration.GetSection(section).GetChildren().Select(child => child.Key);

    /// <summary>Where a key of this layer is set, for messages: "Account:Jid in /etc/xsend/appsettings.json".</summary>
    public string Describe(string key) => _describeKey(key);

    /// <summary>Resolves the path setting <paramref name="key"/> relative to the file that set it (or to the working directory).</summary>
    /// <exception cref="Failures.CliException">The path holds a NUL or another control character, which no file name can.</exception>
    public string ResolvePath(string key, string path)
    {
        if (path.Any(char.IsControl))
            throw new Failures.CliException(Failures.ExitCodes.Config, $"invalid {Describe(key)}: the path contains a control character");
        return FilePath is null || Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(path, Path.GetDirectoryName(FilePath)!);
    }

    /// <summary>Config files above this size are refused; a real one is a few hundred bytes.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public static ConfigLayer FromJsonFile(string path, CancellationToken cancellationToken = default)
    {
        string fullPath = Path.GetFullPath(path);
        IConfiguration configuration;
        try
        {
            byte[] json = Input.LocalFile.Read(fullPath, MaxFileBytes, cancellationToken);
            configuration = new ConfigurationBuilder()
                .AddJsonStream(new MemoryStream(json))
                .Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException or TimeoutException
            or System.Text.Json.JsonException)
        {
            string detail = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new Failures.CliException(Failures.ExitCodes.Config, $"cannot read config file {fullPath}: {detail}");
        }
        return new ConfigLayer(configuration, fullPath, key => $"{key} in {fullPath}");
    }

    /// <summary>
    /// Refuses values of the wrong JSON type, which the configuration system would otherwise
    /// flatten out of sight: a list or object where a value belongs (<c>"Timeout": [1,2]</c>), and
    /// a value where a section belongs (<c>"Account": "x"</c>).
    /// </summary>
    public void CheckShapes(IEnumerable<string> keys)
    {
        foreach (string key in keys)
        {
            if (_configuration.GetSection(key).GetChildren().Any())
                throw new Failures.CliException(Failures.ExitCodes.Config, $"invalid {Describe(key)}: expected a single value, not a list or object");
            string[] sections = key.Split(':');
            for (int i = 1; i < sections.Length; i++)
            {
                string section = string.Join(':', sections[..i]);
                if (_configuration[section] is { } value)
                {
                    throw new Failures.CliException(Failures.ExitCodes.Config,
                        $"invalid {Describe(section)}: expected an object with keys such as {key}, not the value '{value}'");
                }
            }
        }
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
