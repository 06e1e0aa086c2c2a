"""Train one PPO run across several processes (machines) with JAX's own multi-host machinery, and check it.

Every process runs this same script. `jax.distributed.initialize()` joins the processes, after which `jax.devices()`
lists the devices of all of them, and `learn(..., devices=jax.devices())` spreads the training over that global mesh:
one run's environments split across all devices (or, with --seeds, the seeds). Process 0 saves the trained policy.

On a cluster, one process per machine:

    python tools/multihost.py worker --coordinator 10.0.0.1:1234 --num-processes 2 --process-id 0   # on machine 0
    python tools/multihost.py worker --coordinator 10.0.0.1:1234 --num-processes 2 --process-id 1   # on machine 1

Under SLURM, Open MPI or on Cloud TPU, `python tools/multihost.py worker --auto` lets `jax.distributed.initialize()`
find the coordinator and the process ids itself.

On one machine, a demonstration:

    python tools/multihost.py demo            # one run, its environments split over the 4 devices
    python tools/multihost.py demo --seeds 8  # 8 seeds, 2 per device

runs two processes on 127.0.0.1 with 2 CPU devices each (a 4-device global mesh; CPU devices of different processes
communicate over gloo), then one process with 4 CPU devices, and checks that both trained the same policy (to float
rounding: 1e-4). CPU only, so it runs anywhere.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOLERANCE = 1e-4


def worker(args):
    "One process: join the others (if any), train on all their devices, and (process 0) save the policy."
    import jax
    if args.cpu_devices:                    # CPU devices, as many as asked, talking to other processes over gloo
        jax.config.update("jax_platforms", "cpu")
        jax.config.update("jax_num_cpu_devices", args.cpu_devices)
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
    if args.coordinator:
        jax.distributed.initialize(coordinator_address=args.coordinator, num_processes=args.num_processes,
                                   process_id=args.process_id)
    elif args.auto:
        jax.distributed.initialize()        # a cluster (SLURM, Open MPI, Cloud TPU, ...): found by JAX itself

    import equinox as eqx
    import jax.random as jr
    import numpy as np
    from lerax.algorithm import PPO
    from lerax.env import CartPole
    from lerax.policy import MLPActorCriticPolicy

    env = CartPole()
    policy = MLPActorCriticPolicy(env=env, key=jr.key(0))                 # the same on every process
    ppo = PPO(num_envs=args.num_envs, num_steps=64, num_epochs=4, num_batches=4)
    key = jr.key(args.key) if not args.seeds else jr.split(jr.key(args.key), args.seeds)
    began = time.perf_counter()
    trained, metrics = ppo.learn(env, policy, total_timesteps=args.iterations * ppo.steps_per_iteration, key=key,
                                 return_metrics=True, devices=jax.devices())
    seconds = time.perf_counter() - began
    if jax.process_index() == 0:
        parameters = [np.asarray(leaf) for leaf in jax.tree.leaves(eqx.filter(trained, eqx.is_array))]
        if args.out: np.savez(args.out, *parameters)
        print(json.dumps(dict(processes=jax.process_count(), devices=len(jax.devices()), seconds=round(seconds, 1),
                              episode_return=float(np.nanmean(np.asarray(metrics["episode_return"])[..., -1])))))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo(args):
    "Two processes x 2 CPU devices on this machine, against one process x 4: the same policy?"
    import numpy as np
    folder, script = Path(tempfile.mkdtemp()), str(Path(__file__).resolve())
    common = ["--iterations", str(args.iterations), "--num-envs", str(args.num_envs), "--seeds", str(args.seeds)]
    environment = os.environ | {"JAX_PLATFORMS": "cpu"}
    coordinator = f"127.0.0.1:{free_port()}"
    print(f"two processes, 2 CPU devices each, coordinator {coordinator} ...", flush=True)
    processes = [subprocess.Popen([sys.executable, script, "worker", "--cpu-devices", "2", "--coordinator", coordinator,
                                   "--num-processes", "2", "--process-id", str(index), "--out", str(folder / "two.npz"),
                                   *common], env=environment, stdout=subprocess.PIPE, text=True)
                 for index in range(2)]
    outputs = [process.communicate(timeout=args.timeout)[0] for process in processes]
    if any(process.returncode for process in processes): sys.exit("a worker failed (see above)")
    print("  " + outputs[0].strip().splitlines()[-1])
    print("one process, 4 CPU devices ...", flush=True)
    single = subprocess.run([sys.executable, script, "worker", "--cpu-devices", "4", "--out", str(folder / "one.npz"),
                             *common], env=environment, stdout=subprocess.PIPE, text=True, timeout=args.timeout)
    if single.returncode: sys.exit("the single process failed (see above)")
    print("  " + single.stdout.strip().splitlines()[-1])
    two, one = np.load(folder / "two.npz"), np.load(folder / "one.npz")
    difference = max(float(np.abs(two[name] - one[name]).max()) for name in one.files)
    print(f"largest parameter difference: {difference:.2e} (tolerance {TOLERANCE})")
    if difference > TOLERANCE: sys.exit("the two trainings differ")
    print("the same policy")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["worker", "demo"])
    parser.add_argument("--coordinator", help="host:port of process 0, reachable from every process")
    parser.add_argument("--num-processes", type=int, default=1)
    parser.add_argument("--process-id", type=int, default=0)
    parser.add_argument("--auto", action="store_true", help="let jax.distributed.initialize() find the cluster itself")
    parser.add_argument("--cpu-devices", type=int, default=0, help="use this many CPU devices per process (gloo)")
    parser.add_argument("--num-envs", type=int, default=8, help="a multiple of the total number of devices")
    parser.add_argument("--seeds", type=int, default=0, help="train this many seeds (a multiple of the devices)")
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--key", type=int, default=1)
    parser.add_argument("--out", help="where process 0 saves the trained parameters (.npz)")
    parser.add_argument("--timeout", type=int, default=600, help="demo: seconds to wait for each training")
    args = parser.parse_args()
    worker(args) if args.mode == "worker" else demo(args)


if __name__ == "__main__":
    main()
