using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RLKit.Cli.Configuration;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Cli.Commands;

/// <summary>
/// <c>rlkit train</c>: rl-zoo's train.py for RLKit. Hyperparameters come from the tool's tuned preset for the algorithm
/// and environment (or the algorithm's defaults), or from <c>--config</c>, then <c>--set</c> overrides; they are validated
/// by the library's options reader before any step is taken. Trains with a live progress display, saves the model
/// atomically, evaluates it greedily and prints a RESULT line.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The step budget when neither the hyperparameters nor <c>--steps</c> give one.</summary>
    public const long DefaultSteps = 100_000;

    public static Command Create(CliOutput output)
    {
        var algorithm = new Option<string>("--algo", "-a") { Description = "Algorithm: ppo, a2c, reinforce, dqn, sql, sac-discrete, sac, td3, ddpg, ...", Required = true };
        var environment = new Option<string>("--env", "-e") { Description = "Environment id, e.g. CartPole-v1 (see 'rlkit envs').", Required = true };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "rl-zoo-style YAML hyperparameter file: a map keyed by environment id. Replaces the tool's preset." };
        var set = new Option<string[]>("--set", "-s")
        {
            Description = "Override one hyperparameter, key=value (value in YAML: 0.99, true, [128, 128]); repeatable; nested: prioritized.alpha=0.6.",
            AllowMultipleArgumentsPerToken = false,
        };
        var seed = new Option<ulong>("--seed") { Description = "Root seed of the run: network initialisation, sampling, environment resets and evaluation.", DefaultValueFactory = _ => 0 };
        var steps = new Option<long?>("--steps", "-n") { Description = $"Training budget in environment steps; overrides n_timesteps (default: the preset's, else {DefaultSteps:N0})." };
        Options.AtLeast(steps, 1);
        var envs = new Option<int?>("--n-envs") { Description = "Environments stepped together; overrides n_envs (default: the preset's, else 1)." };
        Options.InRange(envs, 1, Hyperparameters.MaxEnvironments);
        var outPath = new Option<string?>("--out", "-o") { Description = "Model file to write (default runs/<algo>/<env>-<n>/model.rlkit, the first free n)." };
        var evalEpisodes = new Option<int>("--eval-episodes") { Description = "Greedy evaluation episodes after training, for the RESULT line.", DefaultValueFactory = _ => 100 };
        Options.AtLeast(evalEpisodes, 1);
        var dryRun = new Option<bool>("--dry-run") { Description = "Resolve and validate the hyperparameters, print them, and stop." };

        var command = new Command("train", "Train an agent on an environment and save it (rl-zoo's train.py).")
        {
            algorithm, environment, config, set, seed, steps, envs, outPath, evalEpisodes, dryRun,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(output.Run("train", () => Train(output, new Request(
            parse.GetValue(algorithm)!, parse.GetValue(environment)!, parse.GetValue(config), parse.GetValue(set) ?? [],
            parse.GetValue(seed), parse.GetValue(steps), parse.GetValue(envs), parse.GetValue(outPath),
            parse.GetValue(evalEpisodes), parse.GetValue(dryRun)), cancellationToken))));
        return command;
    }

    internal sealed record Request(string Algorithm, string Environment, FileInfo? Config, IReadOnlyList<string> Set, ulong Seed,
                                   long? Steps, int? Environments, string? Out, int EvaluationEpisodes, bool DryRun);

    private static int Train(CliOutput output, Request request, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        var rl = Library.Context(request.Seed);
        var factory = Library.Algorithm(rl, request.Algorithm);
        string algo = factory.Algorithm;
        Library.RequireEnvironment(rl, request.Environment);

        var hyperparameters = Resolve(algo, request.Environment, request.Config);
        foreach (var assignment in request.Set) hyperparameters.Set(assignment);
        var (optionsJson, fileSteps, fileEnvironments) = hyperparameters.Split();
        long steps = request.Steps ?? fileSteps ?? DefaultSteps;
        int environmentCount = request.Environments ?? fileEnvironments ?? 1;
        ConfiguredEstimator estimator;
        try
        {
            estimator = rl.Agents.CreateFromJson(algo, optionsJson);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{hyperparameters.Source}: {WithoutParameterName(e)}", e);
        }

        output.Out.WriteLine($"rlkit train: {algo} on {request.Environment}, seed {request.Seed}, {steps.ToString("N0", invariant)} steps, {environmentCount} environment(s); hyperparameters from {hyperparameters.Source}:");
        foreach (var line in hyperparameters.Lines()) output.Out.WriteLine(line);
        if (request.DryRun)
        {
            output.Out.WriteLine($"options: {estimator.Options}");
            return ExitCodes.Ok;
        }
        string modelPath = Library.PrepareOutput(request.Out ?? DefaultModelPath(algo, request.Environment), "--out");

        var clock = Stopwatch.StartNew();
        IAgent agent;
        var progress = new FirstReport(output.Progress());
        using (var environment = rl.Environments.MakeVector(request.Environment, environmentCount))
        {
            try
            {
                agent = estimator.Fit(environment, Budget.Steps(steps), progress, cancellationToken);
            }
            catch (ArgumentException e) when (e.ParamName == "environment" && !progress.Reported)
            {
                // Fit checks the environment's spaces before the first step: an algorithm asked to act in a space it cannot.
                throw new ConfigurationException($"{algo} cannot train on {request.Environment}: {WithoutParameterName(e)}", e);
            }
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;

        rl.Model.Save(agent, modelPath, new Dictionary<string, string>
        {
            [ModelNotes.Environment] = request.Environment,
            [ModelNotes.Steps] = steps.ToString(invariant),
            [ModelNotes.Environments] = environmentCount.ToString(invariant),
            [ModelNotes.Seed] = request.Seed.ToString(invariant),
            [ModelNotes.Hyperparameters] = hyperparameters.Source,
        });
        output.Out.WriteLine($"Saved {modelPath}");

        var report = rl.Evaluate(agent, request.Environment, request.EvaluationEpisodes, deterministic: true, cancellationToken: cancellationToken);
        output.Out.WriteLine($"Greedy evaluation: {report}");
        output.Out.WriteLine(string.Create(invariant,
            $"RESULT exp=train algo={algo} env={request.Environment} seed={request.Seed} steps={steps} mean_return={report.MeanReturn:0.00}±{report.StdReturn:0.00} episodes={report.Episodes} train_seconds={trainSeconds:0.0} model={modelPath}"));
        return ExitCodes.Ok;
    }

    /// <summary>The hyperparameters before overrides: the file's section, else the tool's preset, else none (the defaults).</summary>
    private static Hyperparameters Resolve(string algorithm, string environmentId, FileInfo? config)
    {
        if (config is not null)
        {
            Library.RequireFile(config.FullName, "--config");
            return Hyperparameters.FromFile(YamlJson.Parse(File.ReadAllText(config.FullName), config.FullName), environmentId, config.FullName);
        }
        return Presets.Find(algorithm, environmentId) ?? Hyperparameters.Empty($"the {algorithm} defaults (no preset for {environmentId})");
    }

    /// <summary>runs/&lt;algo&gt;/&lt;env&gt;-&lt;n&gt;/model.rlkit with the first n whose folder does not exist, as rl-zoo numbers its log folders.</summary>
    private static string DefaultModelPath(string algorithm, string environmentId)
    {
        string parent = Path.Combine("runs", algorithm);
        for (int run = 1; ; run++)
        {
            string folder = Path.Combine(parent, $"{environmentId}-{run}");
            if (!Directory.Exists(folder)) return Path.Combine(folder, "model" + Checkpoint.FileExtension);
        }
    }

    /// <summary>The message without the " (Parameter 'json')" suffix, which names a library argument the user never saw.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>Forwards progress and remembers whether training got as far as reporting any.</summary>
    private sealed class FirstReport(IProgress<TrainingUpdate> next) : IProgress<TrainingUpdate>
    {
        public bool Reported { get; private set; }

        public void Report(TrainingUpdate value)
        {
            Reported = true;
            next.Report(value);
        }
    }
}
