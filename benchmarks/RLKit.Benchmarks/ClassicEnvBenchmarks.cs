using BenchmarkDotNet.Attributes;
using RLKit.Envs.Classic;

namespace RLKit.Benchmarks;

/// <summary>
/// Single-step cost of the classic control environments (raw, without wrappers). Episodes are kept going by
/// resetting when one ends, as a training loop does; resets are rare (CartPole with alternating pushes lasts
/// dozens of steps, Pendulum never ends), so the numbers are per step. Target: CartPole ≤ 50 ns, 0 B.
/// </summary>
[MemoryDiagnoser]
public class ClassicEnvBenchmarks
{
    private CartPole _cartPole = null!;
    private Pendulum _pendulum = null!;
    private Pendulum _restrictedPendulum = null!;
    private readonly float[] _torque = [0.7f];
    private int _action;

    [GlobalSetup]
    public void Setup()
    {
        _cartPole = new CartPole();
        _cartPole.Reset(seed: 1);
        _pendulum = new Pendulum();
        _pendulum.Reset(seed: 1);
        _restrictedPendulum = new Pendulum(new PendulumOptions { Restriction = new ActionRestrictionOptions() });
        _restrictedPendulum.Reset(seed: 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cartPole.Dispose();
        _pendulum.Dispose();
        _restrictedPendulum.Dispose();
    }

    /// <summary>One CartPole-v1 step (alternating pushes), resetting when the pole falls.</summary>
    [Benchmark]
    public double CartPoleStep()
    {
        _action ^= 1;
        var result = _cartPole.Step(_action);
        double reward = result.Reward;
        if (result.Done) _cartPole.Reset();
        return reward;
    }

    /// <summary>One Pendulum-v1 step.</summary>
    [Benchmark]
    public double PendulumStep() => _pendulum.Step(_torque).Reward;

    /// <summary>One restricted Pendulum step (hypersphere test, 4 spheres).</summary>
    [Benchmark]
    public double RestrictedPendulumStep() => _restrictedPendulum.Step(_torque).Reward;
}
