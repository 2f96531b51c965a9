using System.CommandLine;
using RLKit.Environments;

namespace RLKit.Cli.Commands;

/// <summary><c>rlkit check-env &lt;id&gt;</c>: the library's environment contract checker (<see cref="CheckEnv"/>) on a catalog environment.</summary>
internal static class CheckEnvCommand
{
    public static Command Create(CliOutput output)
    {
        var id = new Argument<string>("id") { Description = "Environment id, e.g. CartPole-v1." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the resets and random actions.", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Random steps per run.", DefaultValueFactory = _ => 200 };
        Options.AtLeast(steps, 1);
        var command = new Command("check-env", "Check an environment against the Gymnasium contract (spaces, reset, step, determinism, done, invalid actions).")
        {
            id, seed, steps,
        };
        command.SetAction(parse => output.Run("check-env", () =>
        {
            string environmentId = parse.GetValue(id)!;
            var rl = Library.Context(0);
            Library.RequireEnvironment(rl, environmentId, "id");
            using var env = rl.Environments.Make(environmentId);
            try
            {
                CheckEnv.Check(env, parse.GetValue(seed), parse.GetValue(steps));
            }
            catch (EnvironmentCheckException e)
            {
                output.Error.WriteLine($"rlkit check-env: {environmentId} FAILED");
                output.Error.WriteLine(e.Message);
                return ExitCodes.Failure;
            }
            output.Out.WriteLine($"{environmentId}: passed (observations {env.ObservationSpace}, actions {env.ActionSpace})");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
