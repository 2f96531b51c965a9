using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Snippets.Readme;

internal static class FirstLook
{
    public static void Run()
    {
        // begin snippet
        var rng = new RandomGenerator(seed: 1);
        var net = new Mlp([4, 64, 64, 2], rng, Activation.Tanh);
        var adam = new Adam(net.Parameters(), learningRate: 3e-4f);

        var x = Tensor.RandomNormal(rng, [256, 4]);
        var target = Tensor.Zeros(256, 2);
        for (int step = 0; step < 100; step++)
        {
            using var scope = TensorScope.Begin();        // pooled temporaries: no steady-state allocation
            var loss = Functional.MseLoss(net.Forward(x), target);
            adam.ZeroGrad();
            loss.Backward();
            adam.Step();
        }
        // end snippet
    }
}
