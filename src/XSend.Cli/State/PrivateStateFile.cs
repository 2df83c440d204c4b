namespace XSend.Cli.State;

/// <summary>
/// A small state file of space-separated records, one per line, readable only by its owner:
/// written whole to a private temporary file and renamed into place, so a reader never sees
/// half a file and the contents are never readable by others. Lines starting with '#' are comments.
/// </summary>
internal static class PrivateStateFile
{
    /// <summary>The records in <paramref name="path"/> with exactly <paramref name="fields"/> fields; none if the file does not exist.</summary>
    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    public static List<string[]> Read(string path, int fields)
    {
        if (Directory.Exists(path))
            throw new IOException("it is a directory");
        if (!File.Exists(path))
            return [];
        return File.ReadLines(path)
            .Where(line => !line.TrimStart().StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(record => record.Length == fields)
            .ToList();
    }

    /// <summary>Replaces <paramref name="path"/> with the comment lines and records, mode 0600 in a 0700 directory.</summary>
    public static void Write(string path, IEnumerable<string> comments, IEnumerable<string[]> records)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, System.Text.Encoding.UTF8, options))
        {
            foreach (string comment in comments)
                writer.WriteLine($"# {comment}");
            foreach (string[] record in records)
                writer.WriteLine(string.Join(' ', record));
        }
        File.Move(temporary, path, overwrite: true);
    }
}
