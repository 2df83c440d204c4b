using System.Globalization;
using System.Text.Json;

namespace XSend.Cli.Outbox;

/// <summary>
/// The local spool for alerts that could not be delivered in time. One JSON file per alert,
/// written atomically (temporary file, fsync, rename) with mode 0600 in a 0700 directory.
/// File names sort oldest first.
/// </summary>
internal sealed class OutboxStore(string directory, TimeSpan maxAge)
{
    private const string Extension = ".alert.json";
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Directory { get; } = directory;

    public TimeSpan MaxAge { get; } = maxAge;

    /// <summary>Stores an alert; returns the file's path.</summary>
    public string Enqueue(OutboxEntry entry)
    {
        EnsureDirectory();
        string name = $"{entry.Created.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture)}-{entry.Id}{Extension}";
        string path = Path.Combine(Directory, name);
        string temporary = Path.Combine(Directory, $".{name}.tmp");
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, OutboxJsonContext.Default.OutboxEntry);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFile;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(json);
            stream.Flush(flushToDisk: true); // fsync before the rename makes it visible
        }
        File.Move(temporary, path);
        return path;
    }

    /// <summary>
    /// The queued alerts of <paramref name="account"/> (all accounts when null), oldest first.
    /// Alerts older than <see cref="MaxAge"/> are deleted with a warning, so a long outage does
    /// not flood people when it ends; unreadable files are set aside as <c>.corrupt</c>.
    /// </summary>
    public List<(string Path, OutboxEntry Entry)> List(string? account, TextWriter warnings, DateTimeOffset now)
    {
        var entries = new List<(string, OutboxEntry)>();
        if (!System.IO.Directory.Exists(Directory))
            return entries;
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal).Take(100_000))
        {
            OutboxEntry? entry = Read(path, warnings);
            if (entry is null)
                continue;
            if (now - entry.Created > MaxAge)
            {
                warnings.WriteLine($"xsend: warning: dropped queued alert {entry.Id} to {entry.To} from "
                    + $"{entry.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC: older than {MaxAge.TotalHours:0.#} h");
                Remove(path);
                continue;
            }
            if (account is null || string.Equals(entry.Account, account, StringComparison.OrdinalIgnoreCase))
                entries.Add((path, entry));
        }
        return entries;
    }

    /// <summary>Takes the drain lock, or returns null when another process holds it.</summary>
    public IDisposable? TryLockForDraining()
    {
        EnsureDirectory();
        try
        {
            // On Unix, FileShare.None takes an advisory flock: two xsends never drain at once.
            return new FileStream(Path.Combine(Directory, ".drain.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (FileNotFoundException)
        {
        }
    }

    private static OutboxEntry? Read(string path, TextWriter warnings)
    {
        try
        {
            OutboxEntry entry = JsonSerializer.Deserialize(File.ReadAllBytes(path), OutboxJsonContext.Default.OutboxEntry)
                ?? throw new JsonException("empty");
            return Validate(entry);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            warnings.WriteLine($"xsend: warning: cannot read queued alert {path} ({ex.Message}); set aside as .corrupt");
            try
            {
                File.Move(path, path + ".corrupt", overwrite: true);
            }
            catch (IOException)
            {
            }
            return null;
        }
    }

    // A file that parses but could never be sent (found by fuzzing: a null body or recipient, a
    // recipient that is no JID) is as corrupt as one that does not parse: set aside, never a crash
    // that would stop every later run from draining the outbox.
    private static OutboxEntry Validate(OutboxEntry entry)
    {
        if (string.IsNullOrEmpty(entry.Id) || entry.Body is null || entry.Type is null)
            throw new JsonException("Id, Body or Type is missing");
        if (!Xmpp.Jid.TryParse(entry.To, out _, out string? toError))
            throw new JsonException($"To is not an address: {toError}");
        if (!Xmpp.Jid.TryParse(entry.Account, out _, out string? accountError))
            throw new JsonException($"Account is not an address: {accountError}");
        return entry;
    }

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
            return;
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(Directory);
        else
            System.IO.Directory.CreateDirectory(Directory, PrivateDirectory);
    }
}
