/** The part of sm-crypto (国密 SM2/SM3, pure JavaScript) the SM2 licence signer uses; the package ships no types. */
declare module 'sm-crypto' {
  interface SignatureOptions {
    readonly hash?: boolean;
    readonly der?: boolean;
    readonly publicKey?: string;
    readonly userId?: string;
  }
  export const sm2: {
    generateKeyPairHex(): { publicKey: string; privateKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    verifyPublicKey(publicKey: string): boolean;
    doSignature(message: string, privateKey: string, options?: SignatureOptions): string;
    doVerifySignature(message: string, signature: string, publicKey: string, options?: SignatureOptions): boolean;
  };
}
