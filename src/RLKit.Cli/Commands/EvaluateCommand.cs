using System.CommandLine;
using System.Globalization;
using RLKit.Cli.Configuration;
using RLKit.Training.Checkpoints;

namespace RLKit.Cli.Commands;

/// <summary><c>rlkit evaluate</c>: rl-zoo's enjoy.py without a window: runs a saved model and reports its returns.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliOutput output)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model file written by 'rlkit train' or Model.Save (*.rlkit).", Required = true };
        var environment = new Option<string?>("--env", "-e") { Description = "Environment id (default: the one the model was trained on, from its notes)." };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to run.", DefaultValueFactory = _ => 10 };
        Options.AtLeast(episodes, 1);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the first reset (and of sampling with --stochastic).", DefaultValueFactory = _ => 0 };
        var stochastic = new Option<bool>("--stochastic") { Description = "Sample actions from the policy instead of acting greedily." };
        var render = new Option<string?>("--render") { Description = "svg: also draw one greedy episode (observations, actions, rewards against the step) as an SVG chart." };
        render.AcceptOnlyFromAmong("svg");
        var renderOut = new Option<string?>("--render-out") { Description = "The SVG file for --render svg (default: the model path with .svg)." };
        var command = new Command("evaluate", "Run a saved model on an environment and report mean ± std return (rl-zoo's enjoy.py).")
        {
            model, environment, episodes, seed, stochastic, render, renderOut,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(output.Run("evaluate", () =>
        {
            var invariant = CultureInfo.InvariantCulture;
            string path = parse.GetValue(model)!;
            ulong evaluationSeed = parse.GetValue(seed);
            var rl = Library.Context(evaluationSeed);
            Library.RequireFile(path, "--model");
            var notes = Checkpoint.Load(path).Metadata.Notes;
            string environmentId = parse.GetValue(environment)
                ?? (notes is not null && notes.TryGetValue(ModelNotes.Environment, out var trainedOn) ? trainedOn
                    : throw new ConfigurationException("--env: the model's notes name no environment; pass --env."));
            Library.RequireEnvironment(rl, environmentId);
            var agent = rl.Model.Load(path);
            bool deterministic = !parse.GetValue(stochastic);
            var report = rl.Evaluate(agent, environmentId, parse.GetValue(episodes), deterministic, seed: evaluationSeed, cancellationToken: cancellationToken);
            output.Out.WriteLine($"{agent.Algorithm} on {environmentId}, {(deterministic ? "greedy" : "stochastic")}: {report}");
            if (parse.GetValue(render) is not null)
            {
                string svg = Library.PrepareOutput(parse.GetValue(renderOut) ?? Path.ChangeExtension(path, ".svg"), "--render-out");
                using var env = rl.Environments.Make(environmentId);
                var (episodeReturn, length) = EpisodeTraceSvg.Write(agent, env, evaluationSeed, svg, cancellationToken);
                output.Out.WriteLine(string.Create(invariant, $"Wrote {svg} (one greedy episode: return {episodeReturn:0.##}, {length} steps)"));
            }
            output.Out.WriteLine(string.Create(invariant,
                $"RESULT exp=evaluate algo={agent.Algorithm} env={environmentId} seed={evaluationSeed} episodes={report.Episodes} mean_return={report.MeanReturn:0.00}±{report.StdReturn:0.00} mean_length={report.MeanLength:0.#}"));
            return ExitCodes.Ok;
        })));
        return command;
    }
}
