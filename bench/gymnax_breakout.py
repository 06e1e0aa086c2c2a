"""PPO on MinAtar Breakout through the gymnax bridge: the full-budget figure that the gymnax lesson quotes.

The lesson's configuration (16 envs x 128 steps, 4 epochs x 8 minibatches, lr 5e-4, entropy 0.01, an MLP on the
flattened 10x10x4 grid, as PureJaxRL does), 16 times the lesson's budget: 2**22 steps, three seeds in one `learn`
call. Each trained policy is evaluated on 32 episodes. The reference printed alongside is the untrained policy's
return, evaluated the same way, and the lesson's own budget (2**18 steps) in the same run.

Run: python bench/gymnax_breakout.py      Writes bench/results/gymnax_breakout.json.
"""
import json
import pathlib
import time

import equinox as eqx
import jax
import jax.random as jr
import numpy as np

from lerax.algorithm import PPO, evaluate
from lerax.env import make
from lerax.policy import MLPActorCriticPolicy

SEEDS = 3


def train_and_evaluate(env, policy, total_timesteps):
    ppo = PPO(num_envs=16, num_steps=128, num_epochs=4, num_batches=8, learning_rate=5e-4, entropy_loss_coefficient=0.01)
    start = time.perf_counter()
    trained = jax.block_until_ready(ppo.learn(env, policy, total_timesteps=total_timesteps, key=jr.split(jr.key(1), SEEDS)))
    seconds = time.perf_counter() - start
    returns = np.asarray(eqx.filter_vmap(lambda p, k: evaluate(env, p, key=k, num_episodes=32)[0])(
        trained, jr.split(jr.key(2), SEEDS)))
    return {"total_timesteps": total_timesteps, "seconds": seconds, "returns": returns.tolist(),
            "mean": float(returns.mean()), "std": float(returns.std())}


def main():
    env = make("gymnax:Breakout-MinAtar")
    policy = MLPActorCriticPolicy(env=env, key=jr.key(0))
    results = {"untrained_return": float(evaluate(env, policy, key=jr.key(3), num_episodes=32)[0])}
    print(f"untrained policy: {results['untrained_return']:.2f}")
    for name, steps in (("lesson_budget", 2**18), ("full_budget", 2**22)):
        result = results[name] = train_and_evaluate(env, policy, steps)
        print(f"PPO, {steps:,} steps, {SEEDS} seeds: {result['mean']:.2f} ± {result['std']:.2f} "
              f"(seeds {np.round(result['returns'], 2).tolist()}), {result['seconds']:.0f} s", flush=True)
    path = pathlib.Path(__file__).parent / "results" / "gymnax_breakout.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
