using BenchmarkDotNet.Attributes;
using RLKit.Envs.Navigation;

namespace RLKit.Benchmarks;

/// <summary>
/// One step of the QMP point maze (point-mass integration, wall sweep, reward). The fixed diagonal action soon
/// presses the particle into a corner, so both axis sweeps collide every step (their most expensive path).
/// </summary>
[MemoryDiagnoser]
public class PointMazeBenchmarks
{
    private PointMaze _maze = null!;
    private readonly float[] _action = [0.7f, -0.4f];

    [GlobalSetup]
    public void Setup()
    {
        _maze = new PointMaze(new PointMazeOptions { Task = 0 });
        _maze.Reset(1);
    }

    /// <summary>A single maze step.</summary>
    [Benchmark]
    public double PointMazeStep()
    {
        var result = _maze.Step(_action);
        double reward = result.Reward;
        if (result.Done) _maze.Reset();
        return reward;
    }
}
