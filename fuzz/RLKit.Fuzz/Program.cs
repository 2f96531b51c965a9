// RLKit.Fuzz: fuzz targets for the loaders. See fuzz/README.md.
//   RLKit.Fuzz <target>                      run under afl-fuzz (SharpFuzz persistent mode); input on stdin/file from afl
//   RLKit.Fuzz --replay <target> <path>...   run files (or every file of folders) through a target, print each outcome
//   RLKit.Fuzz --make-corpus <dir>           write the seed corpus (<dir>/<target>/...) from real files RLKit writes
using RLKit.Fuzz;
using SharpFuzz;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: RLKit.Fuzz <target> | --replay <target> <path>... | --make-corpus <dir>   (targets: see FuzzTargets.Names)");
    return 2;
}
switch (args[0])
{
    case "--make-corpus":
        SeedCorpus.Write(args.Length > 1 ? args[1] : "corpus");
        return 0;
    case "--replay":
        return Replay(args[1], args.Skip(2));
    default:
        // Nothing instrumented may run before Fuzzer.Run maps afl's coverage memory, not even FuzzTargets.Names:
        // run.sh checks the target name, and an unknown one fails on the first input with FuzzTargets.Run's message.
        string target = args[0];
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzTargets.Run(target, buffer.ToArray());
        });
        return 0;
}

static int Replay(string target, IEnumerable<string> paths)
{
    int failures = 0;
    var files = paths.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]);
    foreach (var file in files)
    {
        try
        {
            FuzzTargets.Run(target, File.ReadAllBytes(file));
            Console.WriteLine($"ok    {file}");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"FAIL  {file}\n{e}");
        }
    }
    return failures == 0 ? 0 : 1;
}
