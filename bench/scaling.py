"""PPO throughput on 1 and 2 devices with `learn(..., devices=...)`: environment steps per second, and the ratios.

One run of PPO on CartPole with 64, 256 and 1024 environments (split across the devices), and many seeds at once
(the seeds split across the devices), each on 1 device (`devices=None`, Lerax's ordinary training) and on 2
(`devices=jax.devices()[:2]`). Each device count runs in its own process, since JAX fixes its devices when it starts:
on a machine with GPUs these are the first GPUs; on a CPU they are simulated with
XLA_FLAGS=--xla_force_host_platform_device_count (simulated CPU devices share the machine's cores, so on a CPU the
ratio shows the cost of splitting rather than a speed-up). Compilation is excluded: each configuration runs once to
compile, then --repeats timed runs, and the median counts.

Run: python bench/scaling.py                     (the benchmark: PPO's default rollout of 512 steps, 16 epochs)
     python bench/scaling.py --quick             (a check that it works: tiny budgets, in a minute or two)
     python bench/scaling.py --out bench/results/scaling.json
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time


def measure(args):
    "In a process with --devices devices: steps per second of each configuration, as one JSON line."
    import jax
    import jax.random as jr
    from lerax.algorithm import PPO
    from lerax.env import CartPole
    from lerax.policy import MLPActorCriticPolicy

    devices = None if args.devices == 1 else jax.devices()[: args.devices]
    if devices is not None and len(devices) < args.devices: sys.exit(f"only {len(jax.devices())} devices here")
    env = CartPole()
    policy = MLPActorCriticPolicy(env=env, key=jr.key(0))
    configurations = [(f"{envs} envs", envs, None) for envs in args.envs]
    configurations += [(f"{args.seeds} seeds x {args.seed_envs} envs", args.seed_envs, args.seeds)] if args.seeds else []
    results = {}
    for label, num_envs, seeds in configurations:
        ppo = PPO(num_envs=num_envs, num_steps=args.num_steps, num_epochs=args.num_epochs, num_batches=args.num_batches)
        total = args.iterations * ppo.steps_per_iteration
        key = jr.key(1) if seeds is None else jr.split(jr.key(1), seeds)
        times = []
        for attempt in range(args.repeats + 1):         # the first call compiles
            began = time.perf_counter()
            trained = ppo.learn(env, policy, total_timesteps=total, key=key, devices=devices)
            jax.block_until_ready(trained)
            times.append(time.perf_counter() - began)
        seconds = statistics.median(times[1:])
        results[label] = dict(steps_per_second=total * (seeds or 1) / seconds, seconds=seconds, compile=times[0] - seconds)
        print(f"  {args.devices} device(s), {label}: {results[label]['steps_per_second']:,.0f} steps/s", file=sys.stderr, flush=True)
    print(json.dumps(dict(device=f"{jax.devices()[0].platform}: {jax.devices()[0].device_kind}", results=results)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--envs", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--seeds", type=int, default=8, help="seeds in the multi-seed run (0: none)")
    parser.add_argument("--seed-envs", type=int, default=64, help="environments of each seed in the multi-seed run")
    parser.add_argument("--device-counts", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--num-steps", type=int, default=512)
    parser.add_argument("--num-epochs", type=int, default=16)
    parser.add_argument("--num-batches", type=int, default=32)
    parser.add_argument("--iterations", type=int, default=4, help="timed iterations per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny budgets, only to check that the script works")
    parser.add_argument("--out", help="also write the results to this JSON file")
    parser.add_argument("--devices", type=int, help=argparse.SUPPRESS)     # set for the measuring processes
    args = parser.parse_args()
    if args.quick:
        args.envs, args.seeds, args.seed_envs, args.num_steps, args.num_epochs, args.num_batches = [64, 256], 4, 16, 16, 1, 4
        args.iterations, args.repeats = 2, 1
    if args.devices: return measure(args)

    measured = {}
    for count in args.device_counts:
        flags = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={count}".strip()
        command = [sys.executable, __file__, *sys.argv[1:], "--devices", str(count)]
        done = subprocess.run(command, env=os.environ | {"XLA_FLAGS": flags}, stdout=subprocess.PIPE, text=True)
        if done.returncode: sys.exit(f"the {count}-device measurement failed")
        measured[count] = json.loads(done.stdout.strip().splitlines()[-1])

    device = measured[args.device_counts[0]]["device"]
    print(f"\nPPO on CartPole, {device}, JAX steps/s (median of {args.repeats}, compilation excluded), "
          f"num_steps={args.num_steps}, num_epochs={args.num_epochs}, num_batches={args.num_batches}")
    first = args.device_counts[0]
    print(f"{'':>22}" + "".join(f"{f'{count} device(s)':>16}" for count in args.device_counts)
          + "".join(f"{f'{count}/{first} ratio':>14}" for count in args.device_counts[1:]))
    for label in measured[first]["results"]:
        rates = [measured[count]["results"][label]["steps_per_second"] for count in args.device_counts]
        print(f"{label:>22}" + "".join(f"{rate:16,.0f}" for rate in rates)
              + "".join(f"{rate / rates[0]:13.2f}x" for rate in rates[1:]))
    if args.out:
        with open(args.out, "w") as file:
            json.dump(dict(machine=platform.processor() or platform.machine(), device=device, settings=vars(args),
                           measured=measured), file, indent=1)
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
