"""Blind CartPole (velocities hidden): feed-forward against GRU against neural CDE, the table the memory lesson quotes.

Each policy: PPO with the memory lesson's settings, several seeds trained in one `learn` call, then each trained policy
evaluated on 32 fresh episodes. Reported per policy: the mean and per-seed evaluation returns, and the wall time of
the `learn` call (compilation included, as a user meets it) with environment steps per second over all seeds.
The reference printed alongside is the GRU: each policy's time as a ratio of the GRU's.

Run: python bench/memory_policies.py [--seeds 5] [--steps 262144]      Writes bench/results/memory_policies.json.
"""
import argparse
import json
import pathlib
import time

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import PPO, evaluate
from lerax.env import CartPole, PartialObservation
from lerax.policy import MLPActorCriticPolicy, NCDEActorCriticPolicy, RecurrentActorCriticPolicy

POLICIES = {"feed-forward": MLPActorCriticPolicy, "GRU": RecurrentActorCriticPolicy, "neural CDE": NCDEActorCriticPolicy,
            "neural CDE, no leak": lambda env, key: NCDEActorCriticPolicy(env=env, key=key, leak=0.0)}


def run(name, make, *, seeds, steps):
    env = PartialObservation(CartPole(), (0, 2))
    ppo = PPO(num_envs=8, num_steps=128, num_epochs=8, num_batches=4, learning_rate=1e-3, sequence_length=32)
    start = time.perf_counter()
    trained = jax.block_until_ready(ppo.learn(env, make(env=env, key=jr.key(0)), total_timesteps=steps,
                                              key=jr.split(jr.key(5), seeds)))
    seconds = time.perf_counter() - start
    evaluate_one = lambda policy, key: evaluate(env, policy, key=key, num_episodes=32)[0]
    returns = np.asarray(eqx.filter_vmap(evaluate_one)(trained, jr.split(jr.key(2), seeds)))
    return dict(mean=float(returns.mean()), std=float(returns.std()), per_seed=[round(float(r), 1) for r in returns],
                seconds=round(seconds, 1), steps_per_second=round(steps * seeds / seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=2**18)
    args = parser.parse_args()
    rows = {name: run(name, make, seeds=args.seeds, steps=args.steps) for name, make in POLICIES.items()}
    print(f"blind CartPole, PPO, {args.steps} steps x {args.seeds} seeds, {jax.devices()[0].platform}")
    for name, row in rows.items():
        print(f"{name:>19}: return {row['mean']:6.1f} +- {row['std']:5.1f}  seeds {row['per_seed']}  "
              f"{row['seconds']:6.1f} s ({row['steps_per_second']} steps/s), {row['seconds'] / rows['GRU']['seconds']:.2f}x the GRU's time")
    out = pathlib.Path(__file__).parent / "results" / "memory_policies.json"
    out.write_text(json.dumps(dict(steps=args.steps, seeds=args.seeds, device=str(jax.devices()[0]), policies=rows), indent=1))


if __name__ == "__main__":
    main()
