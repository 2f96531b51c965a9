import json, struct, sys, os
def load(p):
    b=open(p,'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); return h, b[8+n:]
def save(p,h,data):
    hb=json.dumps(h,separators=(',',':')).encode(); hb+=b' '*((8-len(hb)%8)%8)
    open(p,'wb').write(struct.pack('<Q',len(hb))+hb+data)
src='/work/wt-fuzz/fuzz/corpus/checkpoint-agent/'
def variant(name, algo, f):
    h,d=load(src+algo+'.rlkit'); m=json.loads(h['__metadata__']['rlkit.checkpoint']); f(m)
    h['__metadata__']['rlkit.checkpoint']=json.dumps(m); save(name,h,d)
h,d=load(src+'ppo.rlkit'); print(json.loads(h['__metadata__']['rlkit.checkpoint']))
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
