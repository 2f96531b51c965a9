"""Structure-aware probes of Checkpoint.LoadAgent: rewrites the metadata of corpus checkpoints (spaces, stored
options, weight names) into edge cases afl-fuzz reaches slowly, because the metadata is JSON escaped inside the
safetensors header's JSON. Usage: python3 fuzz/probe_checkpoints.py <out-dir>, then
dotnet fuzz/RLKit.Fuzz/bin/Release/net10.0/RLKit.Fuzz.dll --replay checkpoint-agent <out-dir>."""
import json, struct, sys, os
def load(p):
    b=open(p,'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); return h, b[8+n:]
def save(p,h,data):
    hb=json.dumps(h,separators=(',',':')).encode(); hb+=b' '*((8-len(hb)%8)%8)
    open(p,'wb').write(struct.pack('<Q',len(hb))+hb+data)
src=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'checkpoint-agent') + os.sep
out=sys.argv[1] if len(sys.argv) > 1 else 'probes'
os.makedirs(out, exist_ok=True)
def variant(name, algo, f):
    h,d=load(src+algo+'.rlkit'); m=json.loads(h['__metadata__']['rlkit.checkpoint']); f(m)
    h['__metadata__']['rlkit.checkpoint']=json.dumps(m); save(os.path.join(out, name + '.rlkit'),h,d)
variant('actionset-overflow','ppo', lambda m: m.update(ActionSpace={"Kind":"ActionSet","Shape":[],"Description":"x","Count":65536,"RepresentationSize":65536}))
variant('actionset-neg','ppo', lambda m: m.update(ActionSpace={"Kind":"ActionSet","Shape":[],"Description":"x","Count":-3,"RepresentationSize":2}))
variant('hidden-huge','ppo', lambda m: m['Options'].update(HiddenSizes=[200000000]))
variant('hidden-huge2','ppo', lambda m: m['Options'].update(HiddenSizes=[30000,30000]))
variant('hidden-neg','ppo', lambda m: m['Options'].update(HiddenSizes=[-4]))
variant('box-shape-null','sac', lambda m: m['ObservationSpace'].update(Shape=None))
variant('box-low-short','sac', lambda m: m['ObservationSpace'].update(Low=[0.0]))
variant('box-shape-big','sac', lambda m: m['ObservationSpace'].update(Shape=[70000,70000]))
variant('discrete-zero','dqn', lambda m: m['ActionSpace'].update(N=0))
variant('discrete-huge','dqn', lambda m: m['ActionSpace'].update(N=2000000000))
variant('options-null','ppo', lambda m: m.update(Options=None))
variant('options-num','ppo', lambda m: m.update(Options=5))
variant('weightnames-null-item','ppo', lambda m: m['WeightNames'].append(None))
variant('md-empty','ppo', lambda m: m.update(ActionSpace={"Kind":"MultiDiscrete","Shape":[0],"Description":"x","Nvec":[]}))
variant('shape-null-discrete','dqn', lambda m: m['ActionSpace'].update(Shape=None))
variant('normalizers','ppo', lambda m: m.update(Normalizers={"observation":{"Mean":[1.0],"Var":None,"Count":-1}}))
variant('obs-discrete','ppo', lambda m: m.update(ObservationSpace={"Kind":"Discrete","Shape":[],"Description":"x","N":4}))
