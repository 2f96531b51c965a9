// RLKit experiments: programs that reproduce a paper's protocol and write its results document's numbers.
//
//   dotnet run -c Release --project samples/RLKit.Experiments -- mixmask --seeds 5
//
// mixmask (seed 000, Mix & Mask actor-critic): per variant and seed, A2C with the paper's options trains on one
// CartPole-v1 for up to --episodes episodes; after every episode the greedy agent is evaluated on 100 CartPole-v1 and
// 100 NonStationaryCartPole-v1 episodes and training stops once the CartPole mean reaches 495. Prints a table and one
// RESULT line per variant and writes mixmask-runs.csv, mixmask-curves.csv, mixmask-cp.svg and mixmask-ncp.svg.
using RLKit.Algorithms.MixMask;
using RLKit.Experiments;

return CommandLine.Run(args);
