import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);
import{child_process,crypto,fs,os,path,stream,util}from"./chunk-5D5KIDPW.js";export{child_process,crypto,fs,os,path,stream,util};
