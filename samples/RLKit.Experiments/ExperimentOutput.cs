using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RLKit.Experiments;

/// <summary>
/// What every experiment's report shares: atomic file writes, CSV cells, aligned text tables and the mean ± std over
/// seeds.
/// </summary>
internal static class ExperimentOutput
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8, no BOM) to a temp file beside <paramref name="path"/>, then renames it over
    /// <paramref name="path"/>, so a reader (or a sweep that is stopped) never sees half a file. The library's
    /// AtomicFile is internal to RLKit.Core; LearningCurveSvg.Write is atomic by itself.
    /// </summary>
    public static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// How result.json files are written: indented, with relaxed escaping so γ, λ, Ψ̂ and × stay readable (the files
    /// are never embedded in HTML).
    /// </summary>
    public static JsonSerializerOptions ResultJson { get; } = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file a run directory holds once the run has finished (written last).</summary>
    public const string ResultFile = "result.json";

    /// <summary>Whether <paramref name="runDirectory"/> holds a finished run.</summary>
    public static bool IsFinished(string runDirectory) => File.Exists(Path.Combine(runDirectory, ResultFile));

    /// <summary>Writes <paramref name="run"/> as the run directory's result.json (atomically, so a run is finished or not).</summary>
    public static void WriteResult<TRun>(string runDirectory, TRun run, JsonSerializerOptions json) =>
        WriteAtomically(Path.Combine(runDirectory, ResultFile), JsonSerializer.Serialize(run, json) + "\n");

    /// <summary>The result.json of the finished run in <paramref name="runDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">If the file is empty or not a <typeparamref name="TRun"/>.</exception>
    public static TRun ReadResult<TRun>(string runDirectory, JsonSerializerOptions json) where TRun : class
    {
        string path = Path.Combine(runDirectory, ResultFile);
        try
        {
            return JsonSerializer.Deserialize<TRun>(File.ReadAllText(path), json) ?? throw new InvalidDataException($"{path}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a run result ({e.Message}).", e);
        }
    }

    /// <summary>Every directory under <paramref name="root"/> that holds a finished run, in path order (none if the root does not exist).</summary>
    public static IEnumerable<string> FinishedRunDirectories(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateFiles(root, ResultFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(p => Path.GetDirectoryName(p)!)
            : [];

    /// <summary>The data rows of the CSV file <paramref name="path"/> (its header skipped), split into cells.</summary>
    /// <exception cref="InvalidDataException">If the header is not <paramref name="header"/> (a file of another layout or version).</exception>
    public static IEnumerable<List<string>> ReadCsv(string path, string header)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        string? first = reader.ReadLine();
        if (first != header)
            throw new InvalidDataException($"{Path.GetFileName(path)}: expected the header '{header}', found '{first}'.");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) yield return SplitCsv(line);
        }
    }

    /// <summary>Splits one CSV line into cells; double quotes protect commas (the writers never quote a quote).</summary>
    public static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>Writes a table: the first column left-aligned, the others right-aligned, a dashed rule under the header.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(row => row[c].Length))).ToArray();
        output.WriteLine(FormatRow(header, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows) output.WriteLine(FormatRow(row, widths));
    }

    private static string FormatRow(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();

    /// <summary>The mean of <paramref name="values"/> (at least one).</summary>
    public static double Mean(IReadOnlyList<double> values) => values.Average();

    /// <summary>The population standard deviation (as the papers' numpy plots and <see cref="RLKit.Training.Evaluation.EvaluationReport"/> use).</summary>
    public static double Std(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    /// <summary>"mean±std" of <paramref name="values"/> with <paramref name="format"/> (e.g. "0.00"), no spaces, for RESULT lines.</summary>
    public static string MeanStd(IReadOnlyList<double> values, string format) =>
        Mean(values).ToString(format, Invariant) + "±" + Std(values).ToString(format, Invariant);
}
