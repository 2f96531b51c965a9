using System.CommandLine;

namespace RLKit.Cli.Commands;

/// <summary><c>rlkit envs</c>: the environment ids and task sets of the catalog, with their spaces and descriptions.</summary>
internal static class EnvsCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("envs", "List the environment ids and task sets, with their observation and action spaces.");
        command.SetAction(_ => output.Run("envs", () =>
        {
            var rl = Library.Context(0);
            output.Out.WriteLine("Environments:");
            foreach (var entry in rl.Environments.List())
            {
                using var env = rl.Environments.Make(entry.Id);
                output.Out.WriteLine($"  {entry.Id,-28} observations {env.ObservationSpace}  actions {env.ActionSpace}");
                if (entry.Description.Length > 0) output.Out.WriteLine($"  {"",-28} {entry.Description}");
            }
            output.Out.WriteLine();
            output.Out.WriteLine("Task sets (multi-task estimators fit these in code):");
            foreach (var entry in rl.Environments.ListTaskSets())
            {
                var tasks = rl.Environments.MakeTaskSet(entry.Id);
                output.Out.WriteLine($"  {entry.Id,-28} {tasks.TaskCount} tasks  observations {tasks.ObservationSpace}  actions {tasks.ActionSpace}");
                if (entry.Description.Length > 0) output.Out.WriteLine($"  {"",-28} {entry.Description}");
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
